// Nothing fails unnoticed: every dead-letter queue of every stack, and every failure counter the code defines (any
// metric-name module entry named ...Rejected, ...Failed, ...Failures or poison), has an alarm or an AMP alert rule
// that notifies someone, in every environment.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EMITTED_METRICS } from '../../../constructs/operations';
import { INGEST_METRICS } from '../../../lambdas/ingest/ingest-metric-names';
import { MATERIALIZE_METRICS } from '../../../lambdas/materialize-features/materialize-metrics';
import { PROMOTE_METRICS } from '../../../lambdas/promote-model/promote-metrics';
import { ROLLOUT_METRICS } from '../../../lambdas/rollout-model/rollout-metrics';
import { datasetThresholds } from '../../../lib/config';
import { contractRegistry } from '../../../lib/contracts';
import { DRIFT_METRICS } from '../../../lib/drift/metric-names';
import { SERVING_EMF, SERVING_PROMETHEUS_METRICS } from '../../../serving/src/metric-names';
import { buildPlatform } from '../../../stacks/platform-app';
import { environmentNames, fastCdkContext } from '../../support/cdk-context';

const FAILURE = /(Rejected|Failed|Failures|Poison|failures)/;
/** Every failure counter of every metric-name module, with what deploys its emitter in an environment. */
const FAILURE_METRICS = [
  ...Object.values(INGEST_METRICS).map((name) => ({ name, module: 'ingest' as const })),
  ...Object.values(MATERIALIZE_METRICS).map((name) => ({ name, module: 'materialize' as const })),
  ...Object.values(PROMOTE_METRICS).map((name) => ({ name, module: 'promote' as const })),
  ...Object.values(SERVING_EMF.metrics).map((name) => ({ name, module: 'serving-lambda' as const })),
  ...Object.values(DRIFT_METRICS).map((name) => ({ name, module: 'drift' as const })),
  ...Object.values(ROLLOUT_METRICS).map((name) => ({ name, module: 'rollout' as const })),
].filter(({ name }) => FAILURE.test(name));
const PROMETHEUS_FAILURE_METRICS = Object.values(SERVING_PROMETHEUS_METRICS).filter((name) => FAILURE.test(name));

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

function alarmMetricNames(alarm: { Properties: Record<string, any> }): string[] {
  const props = alarm.Properties;
  return [props.MetricName, ...(props.Metrics ?? []).map((m: any) => m.MetricStat?.Metric?.MetricName)].filter(Boolean);
}

describe.each(environmentNames())('%s', (environment) => {
  const platform = buildPlatform(new App({ context: { ...fastCdkContext(), env: environment, 'aws:cdk:bundling-stacks': [] } }), environment);
  const templates = new Map<Stack, Resources>(platform.allStacks.map((stack) => [stack, Template.fromStack(stack).toJSON().Resources as Resources]));
  const allAlarms = [...templates.values()].flatMap((resources) => Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm'));
  const operations = templates.get(platform.operations)!;
  const config = platform.environment.config;
  const deployed = {
    ingest: true,
    materialize: config.featureGroups.length > 0,
    promote: true,
    'serving-lambda': platform.serving.decisions.models.some(({ decision }) => decision.target === 'lambda'),
    drift: config.models.some((model) => model.drift !== undefined),
    rollout: platform.serving.rollout !== undefined,
  };

  test('the failure counters were found in the metric-name modules', () => {
    expect(FAILURE_METRICS.map(({ name }) => name).sort()).toEqual(
      [
        INGEST_METRICS.poisonMessages,
        MATERIALIZE_METRICS.recordsFailed,
        MATERIALIZE_METRICS.recordsRejected,
        PROMOTE_METRICS.packagesRejected,
        SERVING_EMF.metrics.modelLoadFailures,
        DRIFT_METRICS.captureRecordsRejected,
        ROLLOUT_METRICS.rolloutsFailed,
      ].sort(),
    );
    expect(PROMETHEUS_FAILURE_METRICS).toEqual([SERVING_PROMETHEUS_METRICS.modelLoadFailures]);
  });

  test('every dead-letter queue has an alarm that notifies', () => {
    let queues = 0;
    for (const [stack, resources] of templates) {
      const deadLetterIds = new Set<string>();
      for (const resource of Object.values(resources)) {
        const redrive = resource.Type === 'AWS::SQS::Queue' ? resource.Properties?.RedrivePolicy?.deadLetterTargetArn : undefined;
        const onFailure = resource.Type === 'AWS::Lambda::EventInvokeConfig' ? resource.Properties?.DestinationConfig?.OnFailure?.Destination : undefined;
        const dlq = resource.Type === 'AWS::Lambda::Function' ? resource.Properties?.DeadLetterConfig?.TargetArn : undefined;
        for (const target of [redrive, onFailure, dlq]) if (target?.['Fn::GetAtt']) deadLetterIds.add(target['Fn::GetAtt'][0]);
      }
      for (const id of deadLetterIds) {
        queues++;
        const alarms = Object.values(resources).filter(
          (r) =>
            r.Type === 'AWS::CloudWatch::Alarm' &&
            (r.Properties.Dimensions ?? []).some((d: any) => d.Name === 'QueueName' && d.Value?.['Fn::GetAtt']?.[0] === id),
        );
        const notifying = alarms.filter((a) => (a.Properties.AlarmActions ?? []).length > 0).length;
        expect({ stack: stack.stackName, queue: id, notifying: notifying > 0 }).toEqual({ stack: stack.stackName, queue: id, notifying: true });
      }
    }
    expect(queues).toBeGreaterThanOrEqual(2);
  });

  test.each(FAILURE_METRICS.map((m) => [m.name, m.module] as const))('%s (%s) has an alarm that notifies wherever its code is deployed', (name, module) => {
    if (!deployed[module]) return;
    const alarms = allAlarms.filter((alarm) => alarmMetricNames(alarm).includes(name));
    expect(alarms.length).toBeGreaterThanOrEqual(1);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([expect.anything()]);
  });

  test('Prometheus failure counters have an AMP alert rule for every Fargate and EKS model, and the alert manager pages the topic', () => {
    const prometheusModels = platform.serving.decisions.models.filter(({ decision }) => decision.target !== 'lambda').map(({ modelName }) => modelName);
    const namespaces = Object.values(operations).filter((r) => r.Type === 'AWS::APS::RuleGroupsNamespace');
    const rules = namespaces.flatMap((ns) => JSON.parse(ns.Properties.Data).groups.flatMap((g: { rules: unknown[] }) => g.rules)) as Array<{
      expr: string;
      labels: { model: string };
    }>;
    for (const metric of PROMETHEUS_FAILURE_METRICS) {
      expect(
        rules
          .filter((rule) => rule.expr.includes(metric))
          .map((rule) => rule.labels.model)
          .sort(),
      ).toEqual([...prometheusModels].sort());
    }
    const workspace = Object.values(operations).find((r) => r.Type === 'AWS::APS::Workspace')!;
    expect(JSON.stringify(workspace.Properties.AlertManagerDefinition)).toContain('sns_configs');
  });

  test('every alarm on the platform namespaces names a metric the code publishes, with its full dimension set', () => {
    const ours = new Set(EMITTED_METRICS.map((m) => m.namespace));
    for (const alarm of allAlarms) {
      const metrics = alarm.Properties.Metrics
        ? alarm.Properties.Metrics.flatMap((m: any) => (m.MetricStat ? [m.MetricStat.Metric] : []))
        : [{ Namespace: alarm.Properties.Namespace, MetricName: alarm.Properties.MetricName, Dimensions: alarm.Properties.Dimensions }];
      for (const metric of metrics.filter((m: any) => ours.has(m.Namespace))) {
        const dims = (metric.Dimensions as Array<{ Name: string; Value: string }>).map((d) => d.Name).sort();
        const service = metric.Dimensions.find((d: { Name: string }) => d.Name === 'service')?.Value;
        expect(EMITTED_METRICS).toContainEqual({ namespace: metric.Namespace, metricName: metric.MetricName, service, dimensions: dims });
      }
    }
  });

  test('each dataset has a quarantine-ratio and a silver-freshness alarm with its configured thresholds', () => {
    const datasets = [...contractRegistry.keys()];
    expect(datasets.length).toBeGreaterThan(0);
    for (const dataset of datasets) {
      const thresholds = datasetThresholds(config.monitoring, dataset);
      const ratio = allAlarms.find(
        (a) => JSON.stringify(a.Properties.Metrics ?? []).includes(`"${dataset}"`) && a.Properties.Threshold === thresholds.quarantineRatioThreshold,
      );
      expect(ratio).toBeDefined();
      const freshness = allAlarms.find(
        (a) => a.Properties.MetricName === INGEST_METRICS.objectsIngested && a.Properties.Dimensions.some((d: any) => d.Value === dataset),
      )!;
      expect(freshness.Properties).toMatchObject({
        EvaluationPeriods: thresholds.silverFreshnessHours,
        Period: 3600,
        TreatMissingData: 'breaching',
        ComparisonOperator: 'LessThanThreshold',
      });
    }
  });
});
