export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** `s3://bucket/key` → { bucket, key }, or undefined for anything else. */
export function parseS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** The S3 `CopySource` header value: bucket and key, URL-encoded segment by segment. */
export function copySource({ bucket, key }: S3Location): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
