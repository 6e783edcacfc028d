import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RepositoryFile } from './repository-layout';
import type { RepositorySource } from './repository-source';

/** A model repository under an S3 prefix; the ETag tells when an object changed. */
export class S3RepositorySource implements RepositorySource {
  readonly location: string;
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    prefix: string,
  ) {
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.location = `s3://${bucket}/${this.prefix}`;
  }

  async listFiles(): Promise<RepositoryFile[]> {
    const files: RepositoryFile[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: continuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        files.push({ path: object.Key.slice(this.prefix.length), fingerprint: object.ETag ?? `${object.Size}:${object.LastModified?.getTime()}` });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return files;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${path}` }));
    if (object.Body === undefined) throw new Error(`s3://${this.bucket}/${this.prefix}${path} has no body`);
    return object.Body.transformToByteArray();
  }
}
