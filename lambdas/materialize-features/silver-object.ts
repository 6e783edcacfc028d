import { parseDatasetObjectKey, type DatasetObject } from '../../lib/lakehouse';

/** A silver Parquet object, as laid out by the ingest function (`sourceObjectId` names the failure report too). */
export interface SilverObject extends DatasetObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/**
 * `datasets/dataset=<dataset>/ingest_date=<YYYY-MM-DD>/<source-object-id>.parquet`, or undefined for any other key
 * (quarantine files, reports). Keys are tried as given and URL-decoded, since S3 notifications may encode `=`.
 */
export function parseSilverObject(bucket: string, key: string, size: number): SilverObject | undefined {
  for (const candidate of [key, decodeKey(key)]) {
    const object = parseDatasetObjectKey(candidate);
    if (object) return { bucket, key: candidate, size, ...object };
  }
  return undefined;
}
