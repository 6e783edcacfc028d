/** A silver Parquet object, as laid out by the ingest function. */
export interface SilverObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly dataset: string;
  readonly ingestDate: string;
  /** The id the ingest function derived from the bronze object version; names the failure report too. */
  readonly sourceObjectId: string;
}

const SILVER_KEY = /^datasets\/dataset=([^/]+)\/ingest_date=(\d{4}-\d{2}-\d{2})\/([^/]+)\.parquet$/;

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
    const match = SILVER_KEY.exec(candidate);
    if (match) return { bucket, key: candidate, size, dataset: match[1]!, ingestDate: match[2]!, sourceObjectId: match[3]! };
  }
  return undefined;
}
