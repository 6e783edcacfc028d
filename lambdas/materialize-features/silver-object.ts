import { parseDatasetObjectKey, type DatasetObject } from '../../lib/lakehouse';

/** A silver Parquet object, as laid out by the ingest function (`sourceObjectId` names the failure report too). */
export interface SilverObject extends DatasetObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
}

/**
 * `datasets/dataset=<dataset>/ingest_date=<YYYY-MM-DD>/<source-object-id>.parquet`, or undefined for any other key
 * (quarantine files, reports). `key` is the decoded key (the S3 event's key decoded by `parseS3ObjectCreated`).
 */
export function parseSilverObject(bucket: string, key: string, size: number): SilverObject | undefined {
  const object = parseDatasetObjectKey(key);
  return object ? { bucket, key, size, ...object } : undefined;
}
