import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Exact S3 object permissions for a function, narrower than the bucket grants' action groups (`s3:GetObject*`,
 * `s3:DeleteObject*`, ...): a function that only adds objects cannot delete, tag, or place legal holds on them.
 */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
/** PutObject and, for lib-storage's multipart uploads, aborting an upload that failed half-way. */
export const OBJECT_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'];
export const KEY_READ_ACTIONS = ['kms:Decrypt'];
export const LIST_BUCKET_ACTIONS = ['s3:ListBucket'];
/** Multipart uploads to SSE-KMS buckets need Decrypt as well as GenerateDataKey (S3 User Guide, multipart upload). */
export const KEY_WRITE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

export interface ObjectLocation {
  readonly bucket: s3.IBucket;
  /** The bucket's encryption key. */
  readonly encryptionKey: kms.IKey;
  /** Object key pattern, e.g. `datasets/*`. */
  readonly keyPattern: string;
}

/** GetObject on the objects matching the pattern, and Decrypt on the bucket's key: one grant holding both. */
export function grantObjectRead(grantee: iam.IGrantable, location: ObjectLocation): iam.Grant {
  const key = location.encryptionKey.grant(grantee, ...KEY_READ_ACTIONS);
  return key.combine(iam.Grant.addToPrincipal({ grantee, actions: OBJECT_READ_ACTIONS, resourceArns: [location.bucket.arnForObjects(location.keyPattern)] }));
}

/** PutObject (single or multipart) on the objects matching the pattern, and the key actions an upload needs: one grant holding both. */
export function grantObjectWrite(grantee: iam.IGrantable, location: ObjectLocation): iam.Grant {
  const key = location.encryptionKey.grant(grantee, ...KEY_WRITE_ACTIONS);
  return key.combine(iam.Grant.addToPrincipal({ grantee, actions: OBJECT_WRITE_ACTIONS, resourceArns: [location.bucket.arnForObjects(location.keyPattern)] }));
}

/**
 * ListBucket on the bucket itself: without it S3 answers HeadObject/GetObject on a missing key with 403 instead of
 * 404, and an existence check cannot tell "not there yet" from "forbidden".
 */
export function grantListBucket(grantee: iam.IGrantable, bucket: s3.IBucket): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: LIST_BUCKET_ACTIONS, resourceArns: [bucket.bucketArn] });
}

/**
 * Read access as the source of a server-side CopyObject that does not copy tags (`TaggingDirective: 'REPLACE'`):
 * copying the source's tags would need s3:GetObjectTagging here and s3:PutObjectTagging on the destination.
 */
export function grantObjectCopySource(grantee: iam.IGrantable, location: ObjectLocation): iam.Grant {
  return grantObjectRead(grantee, location);
}
