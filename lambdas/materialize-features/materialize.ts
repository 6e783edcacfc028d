import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { missingSourceColumns, sourceColumnOf, toFeatureRecord, type FeatureGroupDefinition } from '../../lib/features';
import { materializationFailureKey, materializationProgressKey } from '../../lib/lakehouse';
import type { BackoffOptions } from './backoff';
import { SourceSchemaMismatchError } from './errors';
import { writeFailureReport, type FailureReportLine } from './failure-report';
import { eventTimeOf, resolveOfflineStore, writeOfflineBatch, type OfflineStoreLocation } from './offline-store';
import { readProgress, writeProgress, type FileProgress, type ProgressMarker } from './progress';
import { putRecords, type PlannedRecord, type RecordFailure } from './put-records';
import { openSilverFile, type RowBatch, type SilverFile } from './silver-rows';
import { s3AsyncBuffer } from './s3-async-buffer';
import type { SilverObject } from './silver-object';

export interface MaterializeDeps {
  readonly s3: S3Client;
  /** DescribeFeatureGroup: where each group's offline store lives. */
  readonly sagemaker: SageMakerClient;
  readonly featureStore: SageMakerFeatureStoreRuntimeClient;
  readonly featureGroups: readonly FeatureGroupDefinition[];
  /** Silver bucket: failure reports and progress markers. */
  readonly reportBucket: string;
  /** PutRecord calls in flight (online store). */
  readonly concurrency: number;
  readonly backoff: BackoffOptions;
  /** Injected for tests. @default - the current time */
  readonly now?: () => Date;
}

/**
 * What happened to one silver file in one feature group. Invariant: rows = offline records + rejected.
 * Online, only the newest record of each entity is written (`entities` of them).
 */
export interface MaterializeSummary {
  readonly featureGroup: string;
  readonly rows: number;
  /** Records written to the offline store by this invocation (row groups done before are skipped). */
  readonly offlineWritten: number;
  /** Distinct record identifiers in the file: the records the online store must end at. */
  readonly entities: number;
  /** Newest-per-entity records written to the online store by this invocation. */
  readonly onlineWritten: number;
  /** Row groups a previous delivery had finished (offline, online). */
  readonly resumedAt: { readonly offline: number; readonly online: number };
  /** Rows that cannot become records (conversion or ValidationError); each is in the failure report. */
  readonly rejected: number;
  /** Online records still failing with a retryable error; the caller must fail the message so it is redelivered. */
  readonly failed: number;
  readonly retries: number;
  readonly failureReportKey?: string;
  readonly failedRecords: readonly RecordFailure[];
}

/** The newest record seen for an entity: its event time and row; a later row wins a tie (last write wins). */
interface Newest {
  readonly eventTimeMs: number;
  readonly rowNumber: number;
  readonly rowGroup: number;
}

interface GroupState {
  readonly group: FeatureGroupDefinition;
  readonly marker: ProgressMarker;
  readonly resumedFrom: FileProgress;
  progress: FileProgress;
  offline?: OfflineStoreLocation;
  rows: number;
  offlineWritten: number;
  onlineWritten: number;
  retries: number;
  readonly newest: Map<string, Newest>;
  readonly reportLines: FailureReportLine[];
  readonly failed: RecordFailure[];
}

function planBatch(group: FeatureGroupDefinition, batch: RowBatch) {
  const planned: PlannedRecord[] = [];
  const rejected: FailureReportLine[] = [];
  batch.rows.forEach((row, offset) => {
    const rowNumber = batch.firstRowNumber + offset;
    const result = toFeatureRecord(group, row);
    if (result.ok) planned.push({ rowNumber, recordIdentifier: result.recordIdentifier, record: result.record });
    else rejected.push({ rowNumber, reasons: result.reasons, row });
  });
  return { planned, rejected };
}

/**
 * Materializes one silver Parquet file into every feature group sourced from its dataset, row group by row group:
 * 1. offline: every record, written directly as Parquet under deterministic keys (a rewrite replaces, never adds);
 * 2. online: PutRecord (online store only) of the newest record per entity in the file.
 * A progress marker per (group, file) records the row groups done in each phase, so a redelivered file resumes where
 * it stopped. Rows that cannot become records go to a failure report; online records still failing after retries are
 * returned in `failedRecords` (progress stops before their row group) so the caller can refuse the message.
 */
export async function materializeSilverObject(deps: MaterializeDeps, object: SilverObject, etag?: string): Promise<MaterializeSummary[]> {
  // The ETag names the file version (silver files are written once per bronze version; the marker and offline keys use it).
  const version = etag ?? `unversioned-${object.size}`;
  const groups = deps.featureGroups.filter((group) => group.sourceDataset === object.dataset);
  if (groups.length === 0) return [];

  const file = await openSilverFile(s3AsyncBuffer(deps.s3, object.bucket, object.key, object.size, etag));
  for (const group of groups) {
    const missing = missingSourceColumns(group, file.columns);
    if (missing.length > 0) throw new SourceSchemaMismatchError(group.name, object.key, missing);
  }
  const states = await Promise.all(
    groups.map(async (group): Promise<GroupState> => {
      const marker = { bucket: deps.reportBucket, key: materializationProgressKey(group.name, object) };
      const progress = await readProgress(deps.s3, marker, version);
      return {
        group,
        marker,
        resumedFrom: progress,
        progress,
        rows: 0,
        offlineWritten: 0,
        onlineWritten: 0,
        retries: 0,
        newest: new Map(),
        reportLines: [],
        failed: [],
      };
    }),
  );
  const columns = [...new Set(groups.flatMap((group) => group.features.map(sourceColumnOf)))];
  const writeTime = (deps.now ?? (() => new Date()))();

  // Pass 1: every row group, for the newest record per entity and the failure report; offline where not yet done.
  for await (const batch of file.batches(columns)) {
    for (const state of states) {
      const { planned, rejected } = planBatch(state.group, batch);
      state.rows += batch.rows.length;
      state.reportLines.push(...rejected);
      const records = planned.map((record) => ({ ...record, eventTime: eventTimeOf(state.group, record.record) }));
      for (const { recordIdentifier, rowNumber, eventTime } of records) {
        const current = state.newest.get(recordIdentifier);
        if (!current || eventTime.getTime() >= current.eventTimeMs)
          state.newest.set(recordIdentifier, { eventTimeMs: eventTime.getTime(), rowNumber, rowGroup: batch.index });
      }
      if (batch.index < state.progress.offlineRowGroups) continue;
      state.offline ??= await resolveOfflineStore(deps.sagemaker, state.group.name);
      await writeOfflineBatch(deps.s3, state.offline, state.group, records, { sourceKey: object.key, sourceEtag: version, rowGroup: batch.index }, writeTime);
      state.offlineWritten += records.length;
      state.progress = { ...state.progress, offlineRowGroups: batch.index + 1 };
      await writeProgress(deps.s3, state.marker, state.progress);
    }
  }

  // Pass 2: the online store, row group by row group, only the rows that hold an entity's newest record.
  for (const state of states) await writeOnline(deps, file, columns, state);

  return Promise.all(states.map((state) => summarize(deps, object, state)));
}

async function writeOnline(deps: MaterializeDeps, file: SilverFile, columns: readonly string[], state: GroupState): Promise<void> {
  const winnersByRowGroup = new Map<number, Set<number>>();
  for (const { rowGroup, rowNumber } of state.newest.values()) {
    if (rowGroup < state.progress.onlineRowGroups) continue;
    winnersByRowGroup.set(rowGroup, (winnersByRowGroup.get(rowGroup) ?? new Set()).add(rowNumber));
  }
  for (let index = state.progress.onlineRowGroups; index < file.rowGroupCount; index++) {
    const winners = winnersByRowGroup.get(index);
    if (winners) {
      const batch = await file.rowGroup(index, columns);
      const planned = planBatch(state.group, batch).planned.filter((record) => winners.has(record.rowNumber));
      const result = await putRecords(deps.featureStore, state.group.name, planned, {
        concurrency: deps.concurrency,
        backoff: deps.backoff,
        targetStores: ['OnlineStore'],
      });
      state.onlineWritten += result.written;
      state.retries += result.retries;
      state.reportLines.push(...result.rejected.map(({ rowNumber, recordIdentifier, error }) => ({ rowNumber, recordIdentifier, reasons: [error] })));
      if (result.failed.length > 0) {
        // Stop here: the marker stays before this row group, so the redelivered message retries it.
        state.failed.push(...result.failed);
        return;
      }
    }
    state.progress = { ...state.progress, onlineRowGroups: index + 1 };
    await writeProgress(deps.s3, state.marker, state.progress);
  }
}

async function summarize(deps: MaterializeDeps, object: SilverObject, state: GroupState): Promise<MaterializeSummary> {
  let reportKey: string | undefined;
  if (state.reportLines.length > 0) {
    reportKey = materializationFailureKey(state.group.name, object);
    await writeFailureReport(
      deps.s3,
      deps.reportBucket,
      reportKey,
      [...state.reportLines].sort((a, b) => a.rowNumber - b.rowNumber),
    );
  }
  return {
    featureGroup: state.group.name,
    rows: state.rows,
    offlineWritten: state.offlineWritten,
    entities: state.newest.size,
    onlineWritten: state.onlineWritten,
    resumedAt: { offline: state.resumedFrom.offlineRowGroups, online: state.resumedFrom.onlineRowGroups },
    rejected: state.reportLines.length,
    failed: state.failed.length,
    retries: state.retries,
    failureReportKey: reportKey,
    failedRecords: state.failed,
  };
}
