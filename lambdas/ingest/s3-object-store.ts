import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { headObjectOrUndefined } from '../shared/s3-objects';
import type { SourceObjectRef } from './source-object';

// Multipart parts buffered per upload: queueSize × partSize bytes at most (2 × 8 MiB).
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
const UPLOAD_QUEUE_SIZE = 2;

/** The S3 calls of the ingest function; transient errors are retried by the SDK, then by SQS redelivery. */
export class S3ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async exists(bucket: string, key: string): Promise<boolean> {
    return (await headObjectOrUndefined(this.s3, bucket, key)) !== undefined;
  }

  /** Streams the exact object version named by the event. */
  async openRead(ref: SourceObjectRef): Promise<Readable> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
    return response.Body as Readable;
  }

  /** Uploads a stream as it is produced (multipart past one part); the object appears only once complete. */
  async upload(bucket: string, key: string, body: Readable, contentType: string): Promise<void> {
    await new Upload({
      client: this.s3,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
      partSize: UPLOAD_PART_BYTES,
      queueSize: UPLOAD_QUEUE_SIZE,
    }).done();
  }
}
