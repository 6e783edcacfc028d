import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { isS3NotFound } from '../shared/s3-objects';

/**
 * How far the materialization of one (feature group, silver file) got: row groups are done in order, first into the
 * offline store, then (the newest record of each entity) into the online store. A redelivered message resumes after
 * the last row group recorded here instead of starting over. The marker names the file version (ETag) it is about:
 * a new version of the file starts from zero.
 */
export interface FileProgress {
  readonly sourceEtag: string;
  /** Row groups whose records are in the offline store. */
  readonly offlineRowGroups: number;
  /** Row groups whose newest-per-entity records are in the online store. */
  readonly onlineRowGroups: number;
}

const progressSchema = z.strictObject({
  sourceEtag: z.string(),
  offlineRowGroups: z.number().int().nonnegative(),
  onlineRowGroups: z.number().int().nonnegative(),
});

export interface ProgressMarker {
  readonly bucket: string;
  readonly key: string;
}

/** The recorded progress for this version of the file, or zero progress (no marker, or a marker of another version). */
export async function readProgress(s3: S3Client, marker: ProgressMarker, sourceEtag: string): Promise<FileProgress> {
  const fresh = { sourceEtag, offlineRowGroups: 0, onlineRowGroups: 0 };
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: marker.bucket, Key: marker.key }));
    text = await object.Body!.transformToString();
  } catch (error) {
    if (isS3NotFound(error)) return fresh;
    throw error;
  }
  const parsed = progressSchema.safeParse(JSON.parse(text));
  // An unreadable marker is no evidence of progress: start over (every write is idempotent).
  if (!parsed.success || parsed.data.sourceEtag !== sourceEtag) return fresh;
  return parsed.data;
}

export async function writeProgress(s3: S3Client, marker: ProgressMarker, progress: FileProgress): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: marker.bucket, Key: marker.key, Body: JSON.stringify(progress), ContentType: 'application/json' }));
}
