import { S3Client } from '@aws-sdk/client-s3';
import { LocalRepositorySource } from './local-source';
import type { RepositorySource } from './repository-source';
import { S3RepositorySource } from './s3-source';

export interface S3ClientSettings {
  readonly forcePathStyle?: boolean;
}

/**
 * Opens `s3://bucket/prefix` with the AWS SDK — credentials, region and endpoint from the SDK's usual
 * chain (`AWS_REGION`, `AWS_ENDPOINT_URL_S3` for an S3-compatible server) — or a local folder.
 */
export function openRepositorySource(uri: string, s3: S3ClientSettings = {}): RepositorySource {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (match === null) return new LocalRepositorySource(uri);
  const client = new S3Client({ forcePathStyle: s3.forcePathStyle });
  return new S3RepositorySource(client, match[1], match[2]);
}
