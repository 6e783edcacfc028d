import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';

/**
 * A Parquet reader's view of an S3 object: each slice is one ranged GET, so only the footer and the
 * column chunks actually read are downloaded, whatever the object size.
 */
export function s3AsyncBuffer(s3: S3Client, bucket: string, key: string, byteLength: number, etag?: string): AsyncBuffer {
  return {
    byteLength,
    async slice(start: number, end: number = byteLength): Promise<ArrayBuffer> {
      if (end <= start) return new ArrayBuffer(0);
      const response = await s3.send(
        // IfMatch pins every range to the same object version the event announced.
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, IfMatch: etag }),
      );
      if (!response.Body) throw new Error(`s3://${bucket}/${key}: empty body for bytes ${start}-${end - 1}`);
      const bytes = await response.Body.transformToByteArray();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}
