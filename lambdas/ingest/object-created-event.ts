import { S3EventNotificationEventBridgeSchema } from '@aws-lambda-powertools/parser/schemas';
import { z } from 'zod';
import type { SourceObjectRef } from './source-object';

/** An SQS message body: the EventBridge "Object Created" event that S3 emitted for a bronze object. */
export const objectCreatedEventSchema = S3EventNotificationEventBridgeSchema.extend({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
});

/** Thrown when an SQS message is not an S3 Object Created event; the message is poison. */
export class InvalidEventError extends Error {
  constructor(readonly problems: string) {
    super(`SQS message is not an S3 "Object Created" EventBridge event: ${problems}`);
    this.name = 'InvalidEventError';
  }
}

// S3 event notifications URL-encode object keys (a space arrives as "+").
function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export function parseObjectCreatedEvent(body: string): SourceObjectRef {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidEventError(`body is not JSON (${(error as Error).message})`);
  }
  const result = objectCreatedEventSchema.safeParse(json);
  if (!result.success) {
    throw new InvalidEventError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const { detail, time } = result.data;
  return {
    bucket: detail.bucket.name,
    key: decodeS3EventKey(detail.object.key),
    versionId: detail.object['version-id'],
    etag: detail.object.etag,
    createdAt: new Date(time),
  };
}
