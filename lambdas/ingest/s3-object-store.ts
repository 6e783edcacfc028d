import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { SourceObjectRef } from './source-object';

// Multipart parts buffered per upload: queueSize × partSize bytes at most (2 × 8 MiB).
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
const UPLOAD_QUEUE_SIZE = 2;

/** The S3 calls of the ingest function; transient errors are retried by the SDK, then by SQS redelivery. */
export class S3ObjectStore {
  constructor(private readonly s3: S3Client) {}

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
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
