/**
 * S3's "Object Created" EventBridge event: the rule that routes it (constructs/functions/object-created-trigger.ts) and
 * the schema that parses it (lambdas/shared/s3-object-created-event.ts) name it with these constants. No imports, so the
 * constructs read them without loading Powertools.
 */

/** The `source` of every event S3 sends to EventBridge. */
export const S3_EVENT_SOURCE = 'aws.s3';
/** The `detail-type` of S3's event for a new object (PutObject, CompleteMultipartUpload, CopyObject). */
export const OBJECT_CREATED_DETAIL_TYPE = 'Object Created';
