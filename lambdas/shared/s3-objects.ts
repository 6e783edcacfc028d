import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** Whether an S3 call failed because the object is absent: HeadObject says `NotFound`, GetObject `NoSuchKey`. */
export function isS3NotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
}

/** HeadObject, or undefined when the object does not exist; any other failure is thrown. */
export async function headObjectOrUndefined(s3: S3Client, bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}
