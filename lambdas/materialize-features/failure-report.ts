import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SilverRow } from '../../lib/features';

/** One line of a failure report: a silver row that did not become a Feature Store record, and why. */
export interface FailureReportLine {
  readonly rowNumber: number;
  readonly recordIdentifier?: string;
  readonly reasons: readonly string[];
  readonly row?: SilverRow;
}

/** JSON that keeps Parquet values readable: INT64 as a decimal string, timestamps in ISO-8601. */
function toJsonLine(line: FailureReportLine): string {
  return JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/**
 * Writes the report for one feature group and one silver file. The key is fixed per (group, file), so a
 * redelivered message rewrites the same report instead of adding a second one.
 */
export async function writeFailureReport(s3: S3Client, bucket: string, key: string, lines: readonly FailureReportLine[]): Promise<void> {
  const body = lines.map(toJsonLine).join('\n') + '\n';
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
}
