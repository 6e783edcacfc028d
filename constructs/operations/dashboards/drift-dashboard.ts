import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DRIFT_DETECTOR_SERVICE, DRIFT_DIMENSIONS, DRIFT_METRICS } from '../../../lib/drift/metric-names';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/metrics-namespace';
import { SERVICE_DIMENSION } from '../emitted-metrics';
import type { DashboardInput } from './dashboard-input';
import { cloudWatchExpression, cloudWatchPanel } from './panels';

/**
 * Drift per model: features over threshold, samples per window, and per-feature PSI / KS. Per-feature series carry
 * model, version and feature dimensions whose values are known only at run time, so those panels use a CloudWatch
 * SEARCH expression over the exact dimension set.
 */
export function driftDashboard(input: DashboardInput): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(`Drift (${input.environment})`)
    .uid(`mlops-${input.environment}-drift`)
    .tags(['mlops', input.environment, 'drift'])
    .refresh('15m')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('utc');
  for (const model of input.driftModels) {
    builder.withRow(new dashboard.RowBuilder(`Model: ${model}`));
    const byModel = { [SERVICE_DIMENSION]: DRIFT_DETECTOR_SERVICE, [DRIFT_DIMENSIONS.model]: model };
    builder.withPanel(
      cloudWatchPanel(
        { title: `${model}: features drifted`, question: 'Has the input distribution moved away from the training baseline?', unit: 'short' },
        [
          {
            namespace: METRICS_NAMESPACE,
            metricName: DRIFT_METRICS.featuresDrifted,
            dimensions: byModel,
            statistic: 'Maximum',
            label: 'features over threshold',
          },
          {
            namespace: METRICS_NAMESPACE,
            metricName: DRIFT_METRICS.windowsBelowMinSamples,
            dimensions: byModel,
            statistic: 'Sum',
            label: 'windows below min samples',
          },
          {
            namespace: METRICS_NAMESPACE,
            metricName: DRIFT_METRICS.captureRecordsRejected,
            dimensions: byModel,
            statistic: 'Sum',
            label: 'capture records rejected',
          },
        ],
        input.region,
      ),
    );
    for (const [metricName, title] of [
      [DRIFT_METRICS.psi, 'PSI per feature'],
      [DRIFT_METRICS.ksStatistic, 'KS statistic per feature'],
    ] as const) {
      const dims = [SERVICE_DIMENSION, DRIFT_DIMENSIONS.model, DRIFT_DIMENSIONS.version, DRIFT_DIMENSIONS.feature].join(',');
      const search = `SEARCH('{${METRICS_NAMESPACE},${dims}} MetricName="${metricName}" ${SERVICE_DIMENSION}="${DRIFT_DETECTOR_SERVICE}" ${DRIFT_DIMENSIONS.model}="${model}"', 'Maximum')`;
      builder.withPanel(
        cloudWatchPanel({ title: `${model}: ${title}`, question: 'Which features drift, and by how much?', unit: 'short' }, [], input.region, [
          cloudWatchExpression('A', search, '${PROP("Dim.feature")}'),
        ]),
      );
    }
  }
  return builder;
}
