import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { FeatureMaterialization } from '../../functions/feature-materialization';
import { Ingestion } from '../../functions/ingestion';
import type { DashboardInput } from './dashboard-input';
import { cloudWatchExpression, cloudWatchPanel, metricQuery } from './panels';

/**
 * Data path: rows in and quarantined per dataset, silver freshness, feature records, dead-letter queues. The queries
 * are the data-path constructs' static metrics, the ones PlatformAlarms alarms on.
 */
export function dataDashboard(input: DashboardInput): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(`Data path (${input.environment})`)
    .uid(`mlops-${input.environment}-data`)
    .tags(['mlops', input.environment, 'data'])
    .refresh('5m')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('utc');
  for (const dataset of input.datasets) {
    builder.withRow(new dashboard.RowBuilder(`Dataset: ${dataset}`));
    builder.withPanel(
      cloudWatchPanel(
        { title: `${dataset}: rows in, valid, quarantined`, question: 'How many rows arrive, and how many fail the contract?', unit: 'short' },
        [
          metricQuery(Ingestion.metricRowsIn(dataset), 'rows in'),
          metricQuery(Ingestion.metricRowsValid(dataset), 'valid'),
          metricQuery(Ingestion.metricRowsQuarantined(dataset), 'quarantined'),
        ],
        input.region,
      ),
    );
    builder.withPanel(
      cloudWatchPanel(
        { title: `${dataset}: quarantine ratio`, question: 'Is the share of bad rows rising (a producer changed its format)?', unit: 'percentunit' },
        [
          metricQuery(Ingestion.metricRowsQuarantined(dataset), 'quarantined'),
          metricQuery(Ingestion.metricRowsIn(dataset), 'rows in'),
          // The ratio is a math expression over the two queries (A / B), as the alarm computes it.
        ],
        input.region,
        [cloudWatchExpression('C', 'IF(B > 0, A / B, 0)', 'quarantine ratio')],
      ),
    );
    builder.withPanel(
      cloudWatchPanel(
        { title: `${dataset}: silver objects written`, question: 'Is silver fresh (new objects keep arriving)?', unit: 'short' },
        [metricQuery(Ingestion.metricObjectsIngested(dataset), 'objects ingested')],
        input.region,
      ),
    );
  }
  if (input.featureGroups.length > 0) {
    builder.withRow(new dashboard.RowBuilder('Feature store'));
    for (const featureGroup of input.featureGroups) {
      builder.withPanel(
        cloudWatchPanel(
          { title: `${featureGroup}: feature records`, question: 'Are feature records written, and do any fail or get rejected?', unit: 'short' },
          [
            metricQuery(FeatureMaterialization.metricRecordsWrittenOffline(featureGroup), 'written offline'),
            metricQuery(FeatureMaterialization.metricRecordsWrittenOnline(featureGroup), 'written online'),
            metricQuery(FeatureMaterialization.metricRecordsRejected(featureGroup), 'rejected'),
            metricQuery(FeatureMaterialization.metricRecordsFailed(featureGroup), 'failed'),
            metricQuery(FeatureMaterialization.metricRecordRetries(featureGroup), 'retries'),
          ],
          input.region,
        ),
      );
    }
  }
  builder.withRow(new dashboard.RowBuilder('Dead-letter queues'));
  const dlqSearch = `SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" QueueName="${input.platformStackName}" DeadLetterQueue', 'Maximum')`;
  builder.withPanel(
    cloudWatchPanel(
      { title: 'Dead-letter queue depth', question: 'Is any failed event waiting to be read, fixed and redriven?', unit: 'short' },
      [],
      input.region,
      [cloudWatchExpression('A', dlqSearch, '${PROP("Dim.QueueName")}')],
    ),
  );
  return builder;
}
