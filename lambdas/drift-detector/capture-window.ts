import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MAX_WINDOW_DAYS, WINDOW_LAG_MINUTES } from '../../lib/drift';
import { driftWatermarkKey } from '../../lib/lakehouse';
import { isS3NotFound } from '../shared/s3-objects';

/** Capture written in [start, end) (S3 LastModified), for one model version. */
export interface CaptureWindow {
  readonly start: Date;
  readonly end: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The end of the window a run at `now` decides on: the schedule's grid point at or before `now − lag`. Two runs in
 * the same schedule slot (a retry, a duplicate schedule delivery) get the same end, hence the same window.
 */
export function windowEnd(now: Date, scheduleMinutes: number): Date {
  const slot = scheduleMinutes * MINUTE_MS;
  return new Date(Math.floor((now.getTime() - WINDOW_LAG_MINUTES * MINUTE_MS) / slot) * slot);
}

/** [watermark, end), or the last MAX_WINDOW_DAYS when there is no watermark yet or it is older. */
export function windowFrom(watermark: Date | undefined, end: Date): CaptureWindow {
  const earliest = new Date(end.getTime() - MAX_WINDOW_DAYS * DAY_MS);
  return { start: watermark === undefined || watermark < earliest ? earliest : watermark, end };
}

export async function readWatermark(s3: S3Client, bucket: string, model: string, version: string): Promise<Date | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: driftWatermarkKey(model, version) }));
    const { end } = JSON.parse(await object.Body!.transformToString()) as { end?: string };
    const date = end === undefined ? undefined : new Date(end);
    return date === undefined || Number.isNaN(date.getTime()) ? undefined : date;
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}

export async function writeWatermark(s3: S3Client, bucket: string, model: string, version: string, end: Date): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: driftWatermarkKey(model, version),
      Body: JSON.stringify({ end: end.toISOString() }),
      ContentType: 'application/json',
    }),
  );
}
