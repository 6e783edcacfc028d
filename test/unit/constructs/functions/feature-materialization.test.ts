import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FeatureStore } from '../../../../constructs/feature-store';
import { FeatureMaterialization, type FeatureMaterializationProps } from '../../../../constructs/functions';
import { loadEnvironment } from '../../../../lib/config';
import { cdkContext } from '../../../support/cdk-context';
import { dataPathFixture, functionByDescription, permissionsOf } from './data-path-fixture';

const FEATURE_GROUPS = loadEnvironment(cdkContext().environments, 'dev').config.featureGroups;

function build(props: Partial<FeatureMaterializationProps> = {}, featureGroups = FEATURE_GROUPS) {
  const fixture = dataPathFixture();
  const featureStore = new FeatureStore(fixture.stack, 'FeatureStore', { featureGroups, lakehouse: fixture.lakehouse, goldDatabaseName: 'gold' });
  const materialization = new FeatureMaterialization(fixture.stack, 'MaterializeFeatures', {
    vpc: fixture.vpc,
    lakehouse: fixture.lakehouse,
    featureStore,
    ...props,
  });
  return { ...fixture, featureStore, materialization };
}

describe('FeatureMaterialization defaults', () => {
  const { stack, materialization, alerts } = build();
  const alarms = materialization.addAlarms(alerts);
  const template = Template.fromStack(stack);
  const fn = functionByDescription(template, /^Silver Parquet/);
  const queueId = stack.getLogicalId(materialization.trigger.queue.node.defaultChild as never);

  test('1024 MB, 15 minutes, 5 files at once', () => {
    expect(fn.props).toMatchObject({ MemorySize: 1024, Timeout: 900, ReservedConcurrentExecutions: 5 });
  });

  test("the environment the handler reads: the feature store's definitions, the report bucket, 32 PutRecords in flight", () => {
    const variables = fn.props.Environment.Variables;
    expect(JSON.parse(variables.FEATURE_GROUPS)).toEqual(FEATURE_GROUPS);
    expect(variables.PUT_RECORD_CONCURRENCY).toBe('32');
    expect(variables.FAILURE_REPORT_BUCKET.Ref).toMatch(/^Silver/);
  });

  test('triggered by Object Created under silver datasets/ only', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: { bucket: { name: [{ Ref: Match.stringLikeRegexp('^Silver') }] }, object: { key: [{ prefix: 'datasets/' }] } },
      }),
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })],
    });
  });

  test('PutRecord on every group, silver datasets/ read, failure reports written; nothing else', () => {
    const policy = permissionsOf(template, 'MaterializeFeaturesRolePermissions');
    expect(policy).toContain('"Action":["sagemaker:DescribeFeatureGroup","sagemaker:PutRecord"]');
    expect(policy).toContain('"/feature-store/*"');
    expect(policy).toContain('"/materialization-progress/*"');
    for (const group of FEATURE_GROUPS) expect(policy).toContain(`:feature-group/${group.name}`);
    expect(policy).toContain('"/datasets/*"');
    expect(policy).toContain('"/materialization-failures/*"');
    expect(policy).not.toMatch(/quarantine|s3:DeleteObject|GetRecord/);
  });

  test('addAlarms: the dead-letter queue alarms and the trigger backlog', () => {
    expect(alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 3601,
      AlarmDescription: Match.stringLikeRegexp('^MaterializeFeatures trigger'),
    });
  });
});

describe('FeatureMaterialization custom props', () => {
  test('PutRecord concurrency, sizing and backlog age follow the props', () => {
    const { stack, materialization, alerts } = build({
      putRecordConcurrency: 64,
      memorySize: 2048,
      reservedConcurrentExecutions: 2,
      maxBacklogAge: Duration.hours(3),
    });
    materialization.addAlarms(alerts);
    const template = Template.fromStack(stack);
    const fn = functionByDescription(template, /^Silver Parquet/);
    expect(fn.props).toMatchObject({ MemorySize: 2048, ReservedConcurrentExecutions: 2 });
    expect(fn.props.Environment.Variables.PUT_RECORD_CONCURRENCY).toBe('64');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 3 * 3600 + 1, EvaluationPeriods: 3 });
  });
});

describe('FeatureMaterialization validation', () => {
  test.each([0, 257, 1.5])('putRecordConcurrency %p', (putRecordConcurrency) => {
    expect(() => build({ putRecordConcurrency })).toThrow(
      new RegExp(`FeatureMaterialization: invalid putRecordConcurrency = ${putRecordConcurrency}; an integer from 1 to 256`),
    );
  });

  test('a feature store without groups has nothing to materialize', () => {
    expect(() => build({}, [])).toThrow(
      /FeatureMaterialization: invalid featureStore = "TestStack\/FeatureStore"; a feature store with at least one feature group/,
    );
  });

  test('a backlog age shorter than one alarm period', () => {
    expect(() => build({ maxBacklogAge: Duration.seconds(60) })).toThrow(/FeatureMaterialization: invalid maxBacklogAge = "1 minute"/);
  });
});
