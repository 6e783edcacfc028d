import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { DRIFT_DIMENSIONS, DRIFT_METRICS, type DriftMetricName, type WindowVerdict } from '../../lib/drift';

/** PSI and KS per feature (model, version, feature), rows per version, features drifted per model. */
export function publishVerdict(metrics: Metrics, model: string, version: string, verdict: WindowVerdict): void {
  const { model: m, version: v, feature: f } = DRIFT_DIMENSIONS;
  if (verdict.kind === 'below-min-samples') {
    emit(metrics, { [m]: model }, DRIFT_METRICS.windowsBelowMinSamples, MetricUnit.Count, 1);
    return;
  }
  for (const feature of verdict.features) {
    if (feature.psi === undefined || feature.ksStatistic === undefined) continue;
    emit(metrics, { [m]: model, [v]: version, [f]: feature.feature }, DRIFT_METRICS.psi, MetricUnit.NoUnit, feature.psi);
    emit(metrics, { [m]: model, [v]: version, [f]: feature.feature }, DRIFT_METRICS.ksStatistic, MetricUnit.NoUnit, feature.ksStatistic);
  }
  emit(metrics, { [m]: model, [v]: version }, DRIFT_METRICS.samples, MetricUnit.Count, verdict.rows);
  emit(metrics, { [m]: model }, DRIFT_METRICS.featuresDrifted, MetricUnit.Count, verdict.kind === 'drifted' ? verdict.drifted.length : 0);
}

export function publishRejectedRecords(metrics: Metrics, model: string, rejected: number): void {
  if (rejected > 0) emit(metrics, { [DRIFT_DIMENSIONS.model]: model }, DRIFT_METRICS.captureRecordsRejected, MetricUnit.Count, rejected);
}

/** One EMF document per metric: Powertools' single metric publishes on addMetric and then forgets its dimensions. */
function emit(
  metrics: Metrics,
  dimensions: Record<string, string>,
  name: DriftMetricName,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
): void {
  const single = metrics.singleMetric();
  single.addDimensions(dimensions);
  single.addMetric(name, unit, value);
}
