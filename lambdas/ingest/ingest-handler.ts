import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { sqsBatchHandler } from '../shared/handler-template';
import type { Observability } from '../shared/powertools';
import { InvalidS3EventError, parseS3ObjectCreated } from '../shared/s3-object-created-event';
import { PoisonObjectError } from './errors';
import { INGEST_METRICS } from './ingest-metric-names';
import { publishObjectCounts } from './ingest-metrics';
import { processObject, type ProcessObjectDeps } from './process-object';
import type { SourceObjectRef } from './source-object';

/**
 * The SQS handler: each message is one bronze object. A failed message is reported as a batch item failure, so SQS
 * redelivers it (transient errors) until maxReceiveCount moves it to the DLQ (poison objects, logged with context).
 * A batch whose every message failed is reported the same way rather than thrown, so the response always names them.
 */
export function createIngestHandler(deps: ProcessObjectDeps, observability: Observability) {
  const { logger, metrics } = observability;

  const handleRecord = async (record: SQSRecord): Promise<void> => {
    let ref: SourceObjectRef;
    try {
      ref = parseS3ObjectCreated(record.body);
    } catch (error) {
      if (error instanceof InvalidS3EventError) {
        logger.error('Poison message: not an S3 Object Created event', { messageId: record.messageId, reason: error.problems });
        metrics.addMetric(INGEST_METRICS.poisonMessages, MetricUnit.Count, 1);
      }
      throw error;
    }
    const context = { bucket: ref.bucket, key: ref.key, versionId: ref.versionId, etag: ref.etag, messageId: record.messageId };
    try {
      const outcome = await processObject(deps, ref);
      if (outcome.status === 'already-ingested') {
        logger.info('Object version already ingested; nothing written', { ...context, parquetKey: outcome.parquetKey });
        metrics.addMetric(INGEST_METRICS.objectsAlreadyIngested, MetricUnit.Count, 1);
        return;
      }
      logger.info('Object ingested', { ...context, ...outcome.counts, parquetKey: outcome.parquetKey, quarantineKey: outcome.quarantineKey });
      publishObjectCounts(metrics, outcome.source.dataset, outcome.counts);
    } catch (error) {
      if (error instanceof PoisonObjectError) {
        logger.error('Poison object: nothing written, message left to reach the DLQ', { ...context, reason: error.reason });
        metrics.addMetric(INGEST_METRICS.poisonMessages, MetricUnit.Count, 1);
      } else {
        logger.warn('Ingest failed; SQS will redeliver', { ...context, error: error as Error });
      }
      throw error;
    }
  };

  return sqsBatchHandler(observability, handleRecord, { throwOnFullBatchFailure: false });
}
