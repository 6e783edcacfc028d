/**
 * The drift domain's resource pattern (docs/resource-pattern.md): the detector takes a registry another stack owns
 * (`IModelRegistry`), its metrics carry the dimensions the detector publishes, and `addAlarms` returns what it created.
 * No synth: metrics and grants are read from the construct tree.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { DriftDetection } from '../../../../constructs/drift';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { ModelRegistry, ModelRepository } from '../../../../constructs/model-registry';
import { OperationsAlerts } from '../../../../constructs/operations';
import { DRIFT_DETECTOR_SERVICE, DRIFT_METRICS } from '../../../../lib/drift';
import { METRICS_NAMESPACE } from '../../../../lambdas/shared/metrics-namespace';
import { fastCdkContext } from '../../../support/cdk-context';

const stack = new Stack(new App({ context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } }), 'Drift');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const modelRegistry = ModelRegistry.fromModelRegistryAttributes(stack, 'SharedRegistry', { modelNames: ['churn-classifier'], groupNamePrefix: 'prod-' });
const drift = new DriftDetection(stack, 'DriftDetection', {
  environmentName: 'prod',
  models: [{ name: 'churn-classifier', psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 1000 }],
  lakehouse: new LakehouseStorage(stack, 'Lake'),
  modelRepository: new ModelRepository(stack, 'Repo'),
  modelRegistry,
  vpc,
});

test('an imported registry: the detector may describe the packages of its groups', () => {
  const statements = JSON.stringify(stack.resolve((drift.detector.role.node.findChild('Permissions') as iam.ManagedPolicy).document.toJSON()));
  expect(statements).toContain('model-package/prod-churn-classifier/*');
  expect(statements).toContain('sagemaker:DescribeModelPackage');
});

test('metricFeaturesDrifted / metricPsi / metricKsStatistic: the detector figures, Maximum over the schedule', () => {
  const psi = drift.metricPsi('churn-classifier', '3', 'tenure');
  expect([psi.namespace, psi.metricName, psi.statistic, psi.period.toMinutes()]).toEqual([METRICS_NAMESPACE, DRIFT_METRICS.psi, 'Maximum', 60]);
  expect(psi.dimensions).toEqual({ service: DRIFT_DETECTOR_SERVICE, model: 'churn-classifier', version: '3', feature: 'tenure' });
  expect(drift.metricKsStatistic('churn-classifier', '3', 'tenure').dimensions).toEqual(psi.dimensions);
  expect(drift.metricFeaturesDrifted('churn-classifier').dimensions).toEqual({ service: DRIFT_DETECTOR_SERVICE, model: 'churn-classifier' });
});

test('the drift alarm is built from metricFeaturesDrifted', () => {
  const alarm = drift.alarms.get('churn-classifier')!;
  const cfn = alarm.node.defaultChild as { metricName?: string; dimensions?: unknown; namespace?: string };
  const metric = drift.metricFeaturesDrifted('churn-classifier');
  expect([cfn.namespace, cfn.metricName]).toEqual([metric.namespace, metric.metricName]);
  expect(stack.resolve(cfn.dimensions)).toEqual([
    { name: 'model', value: 'churn-classifier' },
    { name: 'service', value: DRIFT_DETECTOR_SERVICE },
  ]);
});

test('DriftDetection.metricCaptureRecordsRejected is static: the figure names the model, not the detector', () => {
  const metric = DriftDetection.metricCaptureRecordsRejected('churn-classifier', { period: Duration.hours(1) });
  expect([metric.namespace, metric.metricName, metric.statistic, metric.period.toHours()]).toEqual([
    METRICS_NAMESPACE,
    DRIFT_METRICS.captureRecordsRejected,
    'Sum',
    1,
  ]);
  expect(metric.dimensions).toEqual({ service: DRIFT_DETECTOR_SERVICE, model: 'churn-classifier' });
});

test('addAlarms returns the dead-letter alarms it created', () => {
  const alerts = new OperationsAlerts(stack, 'Alerts');
  const created = drift.addAlarms(alerts);
  expect(created.map((alarm) => alarm.node.id)).toEqual(['DeadLetterMessagesAlarm', 'DeadLetterAgeAlarm']);
  expect(alerts.alarms).toEqual(created);
});
