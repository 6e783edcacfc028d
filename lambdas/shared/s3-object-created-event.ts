import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { z } from 'zod';
import { OBJECT_CREATED_DETAIL_TYPE, S3_EVENT_SOURCE } from '../../lib/events/s3-object-created';

/**
 * S3 URL-encodes object keys in its event notifications the way an HTML form does: "red flower=1.csv" arrives as
 * "red+flower%3D1.csv" (a literal "+" as "%2B"). Powertools for Python decodes the EventBridge key the same way
 * (`unquote_plus`). Throws URIError on a malformed escape, which S3 never sends.
 */
export function decodeS3EventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

const decodedKey = z
  .string()
  .min(1)
  .transform((key, ctx) => {
    try {
      return decodeS3EventKey(key);
    } catch {
      ctx.issues.push({ code: 'custom', message: `not a URL-encoded object key: ${JSON.stringify(key)}`, input: key });
      return z.NEVER;
    }
  });

const detailSchema = S3EventNotificationEventBridgeSchema.shape.detail;

/** The EventBridge "Object Created" event of one S3 object, with the object key decoded. */
export const s3ObjectCreatedEventSchema = S3EventNotificationEventBridgeSchema.extend({
  source: z.literal(S3_EVENT_SOURCE),
  'detail-type': z.literal(OBJECT_CREATED_DETAIL_TYPE),
  detail: detailSchema.extend({ object: detailSchema.shape.object.extend({ key: decodedKey }) }),
});

/** The object an "Object Created" event names. */
export interface S3ObjectCreated {
  readonly bucket: string;
  /** Decoded: the key to pass to GetObject. */
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
  readonly size?: number;
  /** The event time: when S3 created the object. */
  readonly createdAt: Date;
}

/** Thrown when a message is not an S3 "Object Created" event: no redelivery will change it (a poison message). */
export class InvalidS3EventError extends Error {
  constructor(readonly problems: string) {
    super(`not an S3 "Object Created" EventBridge event: ${problems}`);
    this.name = 'InvalidS3EventError';
  }
}

/** Parses an SQS message body holding S3's "Object Created" event (EventBridge rule → SQS target). */
export function parseS3ObjectCreated(body: string): S3ObjectCreated {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidS3EventError(`body is not JSON (${(error as Error).message})`);
  }
  const result = s3ObjectCreatedEventSchema.safeParse(json);
  if (!result.success) {
    throw new InvalidS3EventError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
  }
  const { detail, time } = result.data;
  return {
    bucket: detail.bucket.name,
    key: detail.object.key,
    versionId: detail.object['version-id'],
    etag: detail.object.etag,
    size: detail.object.size,
    createdAt: new Date(time),
  };
}
