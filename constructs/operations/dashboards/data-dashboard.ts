import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASET_DIMENSION, INGEST_METRICS, INGEST_SERVICE } from '../../../lambdas/ingest/ingest-metric-names';
import { FEATURE_GROUP_DIMENSION, MATERIALIZE_METRICS, MATERIALIZE_SERVICE } from '../../../lambdas/materialize-features/materialize-metrics';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/metrics-namespace';
import { SERVICE_DIMENSION } from '../emitted-metrics';
import type { DashboardInput } from './dashboard-input';
import { cloudWatchExpression, cloudWatchPanel, type CloudWatchQuery } from './panels';

/** Data path: rows in and quarantined per dataset, silver freshness, feature records, dead-letter queues. */
export function dataDashboard(input: DashboardInput): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(`Data path (${input.environment})`)
    .uid(`mlops-${input.environment}-data`)
    .tags(['mlops', input.environment, 'data'])
    .refresh('5m')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('utc');
  const ingest = (metricName: string, dataset: string, label: string): CloudWatchQuery => ({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensions: { [SERVICE_DIMENSION]: INGEST_SERVICE, [DATASET_DIMENSION]: dataset },
    statistic: 'Sum',
    label,
  });
  for (const dataset of input.datasets) {
    builder.withRow(new dashboard.RowBuilder(`Dataset: ${dataset}`));
    builder.withPanel(
      cloudWatchPanel({ title: `${dataset}: rows in, valid, quarantined`, question: 'How many rows arrive, and how many fail the contract?', unit: 'short' }, [
        ingest(INGEST_METRICS.rowsIn, dataset, 'rows in'),
        ingest(INGEST_METRICS.rowsValid, dataset, 'valid'),
        ingest(INGEST_METRICS.rowsQuarantined, dataset, 'quarantined'),
      ], input.region),
    );
    builder.withPanel(
      cloudWatchPanel({ title: `${dataset}: quarantine ratio`, question: 'Is the share of bad rows rising (a producer changed its format)?', unit: 'percentunit' }, [
        ingest(INGEST_METRICS.rowsQuarantined, dataset, 'quarantined'),
        ingest(INGEST_METRICS.rowsIn, dataset, 'rows in'),
      // The ratio is a math expression over the two queries (A / B), as the alarm computes it.
      ], input.region, [cloudWatchExpression('C', 'IF(B > 0, A / B, 0)', 'quarantine ratio')]),
    );
    builder.withPanel(
      cloudWatchPanel({ title: `${dataset}: silver objects written`, question: 'Is silver fresh (new objects keep arriving)?', unit: 'short' }, [
        ingest(INGEST_METRICS.objectsIngested, dataset, 'objects ingested'),
      ], input.region),
    );
  }
  if (input.featureGroups.length > 0) {
    builder.withRow(new dashboard.RowBuilder('Feature store'));
    for (const featureGroup of input.featureGroups) {
      const materialize = (metricName: string, label: string): CloudWatchQuery => ({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensions: { [SERVICE_DIMENSION]: MATERIALIZE_SERVICE, [FEATURE_GROUP_DIMENSION]: featureGroup },
        statistic: 'Sum',
        label,
      });
      builder.withPanel(
        cloudWatchPanel({ title: `${featureGroup}: feature records`, question: 'Are feature records written, and do any fail or get rejected?', unit: 'short' }, [
          materialize(MATERIALIZE_METRICS.recordsWrittenOffline, 'written offline'),
          materialize(MATERIALIZE_METRICS.recordsWrittenOnline, 'written online'),
          materialize(MATERIALIZE_METRICS.recordsRejected, 'rejected'),
          materialize(MATERIALIZE_METRICS.recordsFailed, 'failed'),
          materialize(MATERIALIZE_METRICS.recordRetries, 'retries'),
        ], input.region),
      );
    }
  }
  builder.withRow(new dashboard.RowBuilder('Dead-letter queues'));
  const dlqSearch = `SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" QueueName="${input.platformStackName}" DeadLetterQueue', 'Maximum')`;
  builder.withPanel(
    cloudWatchPanel({ title: 'Dead-letter queue depth', question: 'Is any failed event waiting to be read, fixed and redriven?', unit: 'short' }, [], input.region, [
      cloudWatchExpression('A', dlqSearch, '${PROP("Dim.QueueName")}'),
    ]),
  );
  return builder;
}
