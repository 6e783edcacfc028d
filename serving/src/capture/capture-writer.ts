import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** Writes one finished capture file. */
export interface CaptureWriter {
  readonly location: string;
  write(key: string, body: Uint8Array): Promise<void>;
}

/** `s3://bucket[/prefix]`: PutObject with the bucket's default encryption (the lakehouse KMS key). */
export class S3CaptureWriter implements CaptureWriter {
  readonly location: string;
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.location = `s3://${bucket}/${prefix}`;
  }

  async write(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${key}`, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' }),
    );
  }
}

/** A local folder (local runs and tests). */
export class LocalCaptureWriter implements CaptureWriter {
  constructor(readonly location: string) {}

  async write(key: string, body: Uint8Array): Promise<void> {
    const path = join(this.location, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }
}

/** Opens `s3://bucket[/prefix/]` with the SDK's usual chain (`AWS_ENDPOINT_URL_S3` for an S3-compatible server), or a folder. */
export function openCaptureWriter(destination: string, options: { forcePathStyle?: boolean } = {}): CaptureWriter {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(destination);
  if (match === null) return new LocalCaptureWriter(destination);
  const prefix = match[2] === '' || match[2].endsWith('/') ? match[2] : `${match[2]}/`;
  return new S3CaptureWriter(new S3Client({ forcePathStyle: options.forcePathStyle, maxAttempts: 2 }), match[1], prefix);
}
