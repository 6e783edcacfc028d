import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { missingSourceColumns, sourceColumnOf, toFeatureRecord, type FeatureGroupDefinition } from '../../lib/features';
import type { BackoffOptions } from './backoff';
import { SourceSchemaMismatchError } from './errors';
import { materializationFailureKey } from '../../lib/lakehouse';
import { writeFailureReport, type FailureReportLine } from './failure-report';
import { putRecords, type PlannedRecord, type RecordFailure } from './put-records';
import { openSilverFile } from './silver-rows';
import { s3AsyncBuffer } from './s3-async-buffer';
import type { SilverObject } from './silver-object';

export interface MaterializeDeps {
  readonly s3: S3Client;
  readonly featureStore: SageMakerFeatureStoreRuntimeClient;
  readonly featureGroups: readonly FeatureGroupDefinition[];
  /** Bucket that receives failure reports. */
  readonly reportBucket: string;
  readonly concurrency: number;
  readonly backoff: BackoffOptions;
}

/** What happened to one silver file in one feature group. Invariant: rows = written + rejected + failed. */
export interface MaterializeSummary {
  readonly featureGroup: string;
  readonly rows: number;
  readonly written: number;
  /** Rows that cannot become records (conversion or ValidationError); each is in the failure report. */
  readonly rejected: number;
  /** Rows still failing with a retryable error; the caller must fail the message so it is redelivered. */
  readonly failed: number;
  readonly retries: number;
  readonly failureReportKey?: string;
  readonly failedRecords: readonly RecordFailure[];
}

interface GroupProgress {
  readonly group: FeatureGroupDefinition;
  rows: number;
  written: number;
  retries: number;
  readonly reportLines: FailureReportLine[];
  readonly failed: RecordFailure[];
}

function planBatch(group: FeatureGroupDefinition, rows: readonly Readonly<Record<string, unknown>>[], firstRowNumber: number) {
  const planned: PlannedRecord[] = [];
  const rejected: FailureReportLine[] = [];
  rows.forEach((row, offset) => {
    const rowNumber = firstRowNumber + offset;
    const result = toFeatureRecord(group, row);
    if (result.ok) planned.push({ rowNumber, recordIdentifier: result.recordIdentifier, record: result.record });
    else rejected.push({ rowNumber, reasons: result.reasons, row });
  });
  return { planned, rejected };
}

/**
 * Materializes one silver Parquet file into every feature group sourced from its dataset, one row group at a
 * time. Rows that cannot become records are written to a failure report; rows that failed only transiently are
 * returned in `failedRecords` so the caller can refuse the message. Returns one summary per feature group
 * (none when no group reads the dataset).
 */
export async function materializeSilverObject(deps: MaterializeDeps, object: SilverObject, etag?: string): Promise<MaterializeSummary[]> {
  const groups = deps.featureGroups.filter((group) => group.sourceDataset === object.dataset);
  if (groups.length === 0) return [];

  const file = await openSilverFile(s3AsyncBuffer(deps.s3, object.bucket, object.key, object.size, etag));
  for (const group of groups) {
    const missing = missingSourceColumns(group, file.columns);
    if (missing.length > 0) throw new SourceSchemaMismatchError(group.name, object.key, missing);
  }

  const progress: GroupProgress[] = groups.map((group) => ({ group, rows: 0, written: 0, retries: 0, reportLines: [], failed: [] }));
  const columns = [...new Set(groups.flatMap((group) => group.features.map(sourceColumnOf)))];
  for await (const batch of file.batches(columns)) {
    for (const state of progress) {
      const { planned, rejected } = planBatch(state.group, batch.rows, batch.firstRowNumber);
      const result = await putRecords(deps.featureStore, state.group.name, planned, { concurrency: deps.concurrency, backoff: deps.backoff });
      state.rows += batch.rows.length;
      state.written += result.written;
      state.retries += result.retries;
      state.reportLines.push(...rejected);
      state.reportLines.push(...result.rejected.map(({ rowNumber, recordIdentifier, error }) => ({ rowNumber, recordIdentifier, reasons: [error] })));
      state.failed.push(...result.failed);
    }
  }

  return Promise.all(
    progress.map(async (state): Promise<MaterializeSummary> => {
      let reportKey: string | undefined;
      if (state.reportLines.length > 0) {
        reportKey = materializationFailureKey(state.group.name, object);
        const lines = [...state.reportLines].sort((a, b) => a.rowNumber - b.rowNumber);
        await writeFailureReport(deps.s3, deps.reportBucket, reportKey, lines);
      }
      return {
        featureGroup: state.group.name,
        rows: state.rows,
        written: state.written,
        rejected: state.reportLines.length,
        failed: state.failed.length,
        retries: state.retries,
        failureReportKey: reportKey,
        failedRecords: state.failed,
      };
    }),
  );
}
