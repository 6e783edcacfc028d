import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { sqsBatchHandler } from '../shared/handler-template';
import type { Observability } from '../shared/powertools';
import { InvalidS3EventError, parseS3ObjectCreated, type S3ObjectCreated } from '../shared/s3-object-created-event';
import { RecordsNotWrittenError } from './errors';
import { FEATURE_GROUP_DIMENSION, MATERIALIZE_METRICS } from './materialize-metrics';
import { materializeSilverObject, type MaterializeDeps, type MaterializeSummary } from './materialize';
import { parseSilverObject } from './silver-object';

/** One EMF document per count, each with the FeatureGroup dimension (a single metric is flushed as soon as it is added). */
function emitMetrics(metrics: Metrics, summary: MaterializeSummary): void {
  const counts: Record<string, number> = {
    [MATERIALIZE_METRICS.rowsRead]: summary.rows,
    [MATERIALIZE_METRICS.recordsWrittenOffline]: summary.offlineWritten,
    [MATERIALIZE_METRICS.recordsWrittenOnline]: summary.onlineWritten,
    [MATERIALIZE_METRICS.recordsRejected]: summary.rejected,
    [MATERIALIZE_METRICS.recordsFailed]: summary.failed,
    [MATERIALIZE_METRICS.recordRetries]: summary.retries,
  };
  for (const [name, value] of Object.entries(counts)) {
    const metric = metrics.singleMetric();
    metric.addDimension(FEATURE_GROUP_DIMENSION, summary.featureGroup);
    metric.addMetric(name, MetricUnit.Count, value);
  }
}

/**
 * Handles one SQS message. Throwing marks the message as a batch item failure: SQS redelivers it and,
 * after the queue's maxReceiveCount, moves it to the DLQ with the event (bucket, key, version) as context.
 */
export function createRecordHandler(deps: MaterializeDeps, { logger, metrics }: Pick<Observability, 'logger' | 'metrics'>) {
  return async (record: SQSRecord): Promise<void> => {
    let created: S3ObjectCreated;
    try {
      created = parseS3ObjectCreated(record.body);
    } catch (error) {
      if (error instanceof InvalidS3EventError)
        logger.error('Poison message: not an S3 Object Created event', { messageId: record.messageId, reason: error.problems });
      throw error;
    }
    const silverObject = parseSilverObject(created.bucket, created.key, created.size ?? 0);
    if (silverObject === undefined || created.size === undefined) {
      logger.info('Not a silver Parquet object; nothing to materialize', { bucket: created.bucket, key: created.key });
      metrics.addMetric(MATERIALIZE_METRICS.objectsSkipped, MetricUnit.Count, 1);
      return;
    }
    const summaries = await materializeSilverObject(deps, silverObject, created.etag);
    if (summaries.length === 0) {
      logger.info('No feature group reads this dataset', { dataset: silverObject.dataset, key: silverObject.key });
      metrics.addMetric(MATERIALIZE_METRICS.objectsSkipped, MetricUnit.Count, 1);
      return;
    }
    for (const summary of summaries) {
      const { failedRecords, ...counts } = summary;
      emitMetrics(metrics, summary);
      if (summary.rejected > 0) logger.warn('Rows rejected by the feature group; see the failure report', { key: silverObject.key, ...counts });
      if (failedRecords.length > 0) {
        logger.error('Records not written after retries; the message will be redelivered', {
          key: silverObject.key,
          ...counts,
          firstFailures: failedRecords.slice(0, 10),
        });
        throw new RecordsNotWrittenError(summary.featureGroup, silverObject.key, failedRecords.length, failedRecords[failedRecords.length - 1].error);
      }
      logger.info('Silver object materialized', { key: silverObject.key, ...counts });
    }
  };
}

/** The Lambda handler: SQS (EventBridge "Object Created" events from silver) with ReportBatchItemFailures. */
export function createMaterializeHandler(deps: MaterializeDeps, observability: Observability) {
  // One file at a time (the template's way): each already runs `concurrency` PutRecord calls.
  return sqsBatchHandler(observability, createRecordHandler(deps, observability));
}
