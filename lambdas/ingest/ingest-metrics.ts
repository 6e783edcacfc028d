import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { IngestCounts } from './ingest-object';

/** Powertools service name of the ingest function: the `service` dimension of its metrics. */
export const INGEST_SERVICE = 'ingest';

/** Metric names the ingest function emits (namespace MlopsBlueprint, service ingest). */
export const INGEST_METRICS = {
  rowsIn: 'IngestRowsIn',
  rowsValid: 'IngestRowsValid',
  rowsQuarantined: 'IngestRowsQuarantined',
  objectsIngested: 'IngestObjectsIngested',
  objectsAlreadyIngested: 'IngestObjectsAlreadyIngested',
  poisonMessages: 'IngestPoisonMessages',
} as const;

/** The dimension of the per-object row counts (besides Powertools' `service`). */
export const DATASET_DIMENSION = 'dataset';

/** Row counts of one object, published at once with a `dataset` dimension. */
export function publishObjectCounts(metrics: Metrics, dataset: string, counts: IngestCounts): void {
  const single = metrics.singleMetric();
  single.addDimension(DATASET_DIMENSION, dataset);
  single.addMetric(INGEST_METRICS.rowsIn, MetricUnit.Count, counts.rowsIn);
  single.addMetric(INGEST_METRICS.rowsValid, MetricUnit.Count, counts.rowsValid);
  single.addMetric(INGEST_METRICS.rowsQuarantined, MetricUnit.Count, counts.rowsQuarantined);
  single.addMetric(INGEST_METRICS.objectsIngested, MetricUnit.Count, 1);
}
