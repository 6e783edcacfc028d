/**
 * The resource pattern of the data path (docs/resource-pattern.md): the functions' own figures as static `metricXxx()`
 * (they carry the `service` dimension, not a function name), checked against what the handlers publish; a
 * `PlatformFunction` is `IGrantable` and its grants return `iam.Grant`; feature materialization takes a feature store
 * another stack owns (`IFeatureStore`). No synth: metrics, grants and environment are read from the construct tree.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FeatureMaterialization, Ingestion, ModelPromotion } from '../../../../constructs/functions';
import { FeatureStore } from '../../../../constructs/feature-store';
import { platformMetric } from '../../../../constructs/operations';
import { DATASET_DIMENSION, INGEST_METRICS, INGEST_SERVICE } from '../../../../lambdas/ingest/ingest-metric-names';
import { FEATURE_GROUP_DIMENSION, MATERIALIZE_METRICS, MATERIALIZE_SERVICE } from '../../../../lambdas/materialize-features/materialize-metrics';
import { PROMOTE_METRICS, PROMOTE_SERVICE } from '../../../../lambdas/promote-model/promote-metrics';
import { METRICS_NAMESPACE } from '../../../../lambdas/shared/metrics-namespace';
import { CHURN } from '../feature-store/churn-features';
import { buildFunction } from './build-function';
import { dataPathFixture } from './data-path-fixture';

const FIVE_MINUTE_SUM = { statistic: 'Sum', period: Duration.minutes(5).toSeconds() };
const summary = (metric: { namespace: string; metricName: string; dimensions?: Record<string, unknown>; statistic: string; period: Duration }) => ({
  namespace: metric.namespace,
  metricName: metric.metricName,
  dimensions: metric.dimensions,
  statistic: metric.statistic,
  period: metric.period.toSeconds(),
});

describe('data-path metrics: what the handlers publish, with every dimension', () => {
  test.each([
    ['Ingestion.metricRowsIn', Ingestion.metricRowsIn('orders'), INGEST_SERVICE, INGEST_METRICS.rowsIn, { [DATASET_DIMENSION]: 'orders' }],
    ['Ingestion.metricRowsValid', Ingestion.metricRowsValid('orders'), INGEST_SERVICE, INGEST_METRICS.rowsValid, { [DATASET_DIMENSION]: 'orders' }],
    [
      'Ingestion.metricRowsQuarantined',
      Ingestion.metricRowsQuarantined('orders'),
      INGEST_SERVICE,
      INGEST_METRICS.rowsQuarantined,
      { [DATASET_DIMENSION]: 'orders' },
    ],
    [
      'Ingestion.metricObjectsIngested',
      Ingestion.metricObjectsIngested('orders'),
      INGEST_SERVICE,
      INGEST_METRICS.objectsIngested,
      { [DATASET_DIMENSION]: 'orders' },
    ],
    ['Ingestion.metricPoisonMessages', Ingestion.metricPoisonMessages(), INGEST_SERVICE, INGEST_METRICS.poisonMessages, {}],
    [
      'FeatureMaterialization.metricRecordsFailed',
      FeatureMaterialization.metricRecordsFailed('churn'),
      MATERIALIZE_SERVICE,
      MATERIALIZE_METRICS.recordsFailed,
      { [FEATURE_GROUP_DIMENSION]: 'churn' },
    ],
    [
      'FeatureMaterialization.metricRecordsRejected',
      FeatureMaterialization.metricRecordsRejected('churn'),
      MATERIALIZE_SERVICE,
      MATERIALIZE_METRICS.recordsRejected,
      { [FEATURE_GROUP_DIMENSION]: 'churn' },
    ],
    [
      'FeatureMaterialization.metricRecordsWrittenOffline',
      FeatureMaterialization.metricRecordsWrittenOffline('churn'),
      MATERIALIZE_SERVICE,
      MATERIALIZE_METRICS.recordsWrittenOffline,
      { [FEATURE_GROUP_DIMENSION]: 'churn' },
    ],
    [
      'FeatureMaterialization.metricRecordRetries',
      FeatureMaterialization.metricRecordRetries('churn'),
      MATERIALIZE_SERVICE,
      MATERIALIZE_METRICS.recordRetries,
      { [FEATURE_GROUP_DIMENSION]: 'churn' },
    ],
    [
      'FeatureMaterialization.metricRecordsWrittenOnline',
      FeatureMaterialization.metricRecordsWrittenOnline('churn'),
      MATERIALIZE_SERVICE,
      MATERIALIZE_METRICS.recordsWrittenOnline,
      { [FEATURE_GROUP_DIMENSION]: 'churn' },
    ],
    ['ModelPromotion.metricPackagesPromoted', ModelPromotion.metricPackagesPromoted(), PROMOTE_SERVICE, PROMOTE_METRICS.packagesPromoted, {}],
    ['ModelPromotion.metricPackagesRejected', ModelPromotion.metricPackagesRejected(), PROMOTE_SERVICE, PROMOTE_METRICS.packagesRejected, {}],
  ])('%s', (_name, metric, service, metricName, dimensions) => {
    expect(summary(metric)).toEqual({ namespace: METRICS_NAMESPACE, metricName, dimensions: { service, ...dimensions }, ...FIVE_MINUTE_SUM });
  });

  test('options override the statistic and period, never the dimensions', () => {
    const metric = Ingestion.metricRowsIn('orders', { statistic: 'Maximum', period: Duration.hours(1), dimensionsMap: { dataset: 'other' } });
    expect(summary(metric)).toEqual({
      namespace: METRICS_NAMESPACE,
      metricName: INGEST_METRICS.rowsIn,
      dimensions: { service: INGEST_SERVICE, dataset: 'orders' },
      statistic: 'Maximum',
      period: 3600,
    });
  });

  test('a metric no handler publishes with that dimension set is refused, naming it', () => {
    const ingest = { namespace: METRICS_NAMESPACE, service: INGEST_SERVICE, metricName: INGEST_METRICS.poisonMessages };
    expect(() => platformMetric(ingest, { [DATASET_DIMENSION]: 'orders' }, {})).toThrow(
      'no platform code publishes MlopsBlueprint/IngestPoisonMessages (service ingest) with dimensions dataset, service',
    );
    expect(() => platformMetric({ ...ingest, metricName: 'IngestRowsLost' }, {}, {})).toThrow(/no platform code publishes MlopsBlueprint\/IngestRowsLost/);
  });
});

describe('PlatformFunction grants', () => {
  const { stack, fn } = buildFunction();

  test('is IGrantable: a bucket grant lands in its execution role', () => {
    expect(fn.grantPrincipal).toBe(fn.role);
  });

  test('grantInvoke returns a successful iam.Grant for lambda:InvokeFunction on the function', () => {
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const grant = fn.grantInvoke(caller);
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    const statement = stack.resolve(grant.principalStatements[0].toStatementJson()) as { Action: string; Resource: unknown[] };
    expect(statement.Action).toBe('lambda:InvokeFunction');
    expect(statement.Resource).toContainEqual(stack.resolve(fn.function.functionArn));
  });
});

describe('FeatureMaterialization takes a feature store another stack owns (FeatureStore.fromFeatureStoreAttributes)', () => {
  const { stack, vpc, lakehouse } = dataPathFixture();
  const featureStore = FeatureStore.fromFeatureStoreAttributes(stack, 'SharedFeatures', { featureGroups: [CHURN], lakehouse, groupNamePrefix: 'prod-' });
  const materialization = new FeatureMaterialization(stack, 'Materialize', { lakehouse, featureStore, vpc });

  test('the function computes the imported groups under their physical names', () => {
    const { variables } = stack.resolve(materialization.cfnFunction.environment) as { variables: Record<string, string> };
    expect((JSON.parse(variables.FEATURE_GROUPS) as Array<{ name: string }>).map((group) => group.name)).toEqual(['prod-customer-churn-features']);
  });

  test('grantWriteAll and grantOfflineWrite on the imported store return successful grants holding every statement', () => {
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const write = featureStore.grantWriteAll(writer);
    const offline = featureStore.grantOfflineWrite(writer);
    for (const grant of [write, offline]) expect(grant.success).toBe(true);
    const actions = (grant: iam.Grant) => grant.principalStatements.flatMap((statement) => statement.actions);
    expect(actions(write)).toEqual(['sagemaker:PutRecord']);
    expect(actions(offline)).toEqual(['sagemaker:DescribeFeatureGroup', 'kms:GenerateDataKey', 'kms:Decrypt', 's3:PutObject', 's3:AbortMultipartUpload']);
    const groupArns = write.principalStatements.flatMap((statement) => statement.resources);
    expect(JSON.stringify(stack.resolve(groupArns))).toContain(':feature-group/prod-customer-churn-features');
  });
});
