import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CaptureRecordError, type CaptureWindowAccumulator } from '../../lib/drift';

export interface CaptureFileCounts {
  readonly records: number;
  /** Lines that were not a readable capture record, with the first reason (the rest are counted). */
  readonly rejected: number;
  readonly firstRejection?: string;
}

/** Streams one gzip JSON Lines capture file into the accumulator, line by line: memory does not grow with the file. */
export async function readCaptureFile(s3: S3Client, bucket: string, key: string, accumulator: CaptureWindowAccumulator): Promise<CaptureFileCounts> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const lines = createInterface({ input: (object.Body as Readable).pipe(createGunzip()), crlfDelay: Infinity });
  let records = 0;
  let rejected = 0;
  let firstRejection: string | undefined;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    try {
      accumulator.addRecord(JSON.parse(line));
      records++;
    } catch (error) {
      if (!(error instanceof CaptureRecordError || error instanceof SyntaxError)) throw error;
      rejected++;
      firstRejection ??= `line ${lineNumber}: ${error.message}`;
    }
  }
  return { records, rejected, firstRejection };
}
