/**
 * PlatformAlarms builds every alarm from the owning construct's `metricXxx()` (docs/resource-pattern.md): each alarm
 * reads exactly the metric the construct hands out (namespace, name, every dimension, statistic, period). No synth.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DriftDetection } from '../../../../constructs/drift';
import { FeatureMaterialization, Ingestion, ModelPromotion } from '../../../../constructs/functions';
import { PlatformAlarms } from '../../../../constructs/operations';
import { LambdaServing } from '../../../../constructs/serving';
import { fastCdkContext } from '../../../support/cdk-context';

const stack = new Stack(new App({ context: fastCdkContext() }), 'Operations');
const alarms = new PlatformAlarms(stack, 'PlatformAlarms', {
  alarmAction: new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Topic')),
  datasets: { orders: { quarantineRatioThreshold: 0.05, silverFreshnessHours: 6 } },
  featureGroups: ['customer-churn-features'],
  lambdaModels: ['churn-classifier'],
  driftModels: ['churn-classifier'],
});

/** What a single-metric alarm reads, as it goes into the template. */
function alarmReads(alarm: cloudwatch.Alarm) {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  return stack.resolve({
    namespace: cfn.namespace,
    metricName: cfn.metricName,
    dimensions: cfn.dimensions,
    statistic: cfn.statistic,
    period: cfn.period,
  }) as unknown;
}

/** The same fields of a metric, rendered the way an alarm renders it. */
function rendered(metric: cloudwatch.Metric) {
  const stat = metric.toMetricConfig().metricStat!;
  return stack.resolve({
    namespace: stat.namespace,
    metricName: stat.metricName,
    dimensions: stat.dimensions,
    statistic: stat.statistic,
    period: stat.period.toSeconds(),
  }) as unknown;
}

const byId = (id: string) => alarms.node.findChild(id) as cloudwatch.Alarm;
const failures = { period: Duration.minutes(5) };

test.each([
  ['IngestPoisonMessages', Ingestion.metricPoisonMessages(failures)],
  ['CustomerChurnFeaturesRecordsFailed', FeatureMaterialization.metricRecordsFailed('customer-churn-features', failures)],
  ['CustomerChurnFeaturesRecordsRejected', FeatureMaterialization.metricRecordsRejected('customer-churn-features', failures)],
  ['ModelPackagesRejected', ModelPromotion.metricPackagesRejected(failures)],
  ['ChurnClassifierModelLoadFailures', LambdaServing.metricModelLoadFailures('churn-classifier', failures)],
  ['ChurnClassifierCaptureRecordsRejected', DriftDetection.metricCaptureRecordsRejected('churn-classifier', failures)],
  ['OrdersSilverFreshness', Ingestion.metricObjectsIngested('orders', { period: Duration.hours(1) })],
])('%s reads the construct metric', (id, metric) => {
  expect(alarmReads(byId(id))).toEqual(rendered(metric));
});

test('the quarantine ratio divides Ingestion.metricRowsQuarantined by Ingestion.metricRowsIn, per hour', () => {
  const queries = stack.resolve((byId('OrdersQuarantineRatio').node.defaultChild as cloudwatch.CfnAlarm).metrics) as Array<{
    id: string;
    metricStat?: Record<string, unknown>;
  }>;
  const hour = { period: Duration.hours(1) };
  const stat = (metric: cloudwatch.Metric) => {
    const config = metric.toMetricConfig().metricStat!;
    return stack.resolve({
      metric: { namespace: config.namespace, metricName: config.metricName, dimensions: config.dimensions },
      period: 3600,
      stat: config.statistic,
    });
  };
  expect(Object.fromEntries(queries.filter((query) => query.metricStat).map((query) => [query.id, query.metricStat]))).toEqual({
    quarantined: stat(Ingestion.metricRowsQuarantined('orders', hour)),
    rowsIn: stat(Ingestion.metricRowsIn('orders', hour)),
  });
});
