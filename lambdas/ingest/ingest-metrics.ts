import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { IngestCounts } from './ingest-object';
import { DATASET_DIMENSION, INGEST_METRICS } from './ingest-metric-names';

/** Row counts of one object, published at once with a `dataset` dimension. */
export function publishObjectCounts(metrics: Metrics, dataset: string, counts: IngestCounts): void {
  const single = metrics.singleMetric();
  single.addDimension(DATASET_DIMENSION, dataset);
  single.addMetric(INGEST_METRICS.rowsIn, MetricUnit.Count, counts.rowsIn);
  single.addMetric(INGEST_METRICS.rowsValid, MetricUnit.Count, counts.rowsValid);
  single.addMetric(INGEST_METRICS.rowsQuarantined, MetricUnit.Count, counts.rowsQuarantined);
  single.addMetric(INGEST_METRICS.objectsIngested, MetricUnit.Count, 1);
}
