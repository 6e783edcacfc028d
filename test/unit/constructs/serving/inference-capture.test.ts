import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { ModelRepository } from '../../../../constructs/model-registry';
import { PlatformNetwork } from '../../../../constructs/network';
import { ModelServing, type ModelServingProps } from '../../../../constructs/serving';
import { loadEnvironment } from '../../../../lib/config';
import type { ServingTarget, TrafficProfile } from '../../../../lib/decision';
import { inferenceCapturePrefix } from '../../../../lib/lakehouse';
import { captureFileName, captureObjectKey } from '../../../../serving/src/capture/capture-key';
import { CAPTURE_ENV, loadCaptureSettings } from '../../../../serving/src/capture/capture-settings';
import { ServingStack } from '../../../../stacks/serving-stack';
import { cdkContext, fastCdkContext } from '../../../support/cdk-context';
import { FIXTURE_IMAGE_DIRECTORY, servingFixture, SPARSE_PROFILE, STEADY_PROFILE, testMetricsWorkspace } from './fixtures/serving-fixture';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

const GPU_PROFILE: TrafficProfile = { ...STEADY_PROFILE, computeMsPerInference: 25, memoryMb: 8192, gpu: true, teamSize: 8 };
const PROFILE: Record<ServingTarget, TrafficProfile> = { lambda: SPARSE_PROFILE, fargate: STEADY_PROFILE, eks: GPU_PROFILE };

/** `capture`: null for none; absent for 5% into a silver bucket of the fixture. */
function build(target: ServingTarget, capture: ModelServingProps['capture'] | null | 'default' = 'default') {
  const fixture = servingFixture();
  const encryptionKey = new kms.Key(fixture.stack, 'LakehouseKey');
  const silver = new s3.Bucket(fixture.stack, 'Silver', { encryptionKey });
  const serving = new ModelServing(fixture.stack, 'Model', {
    modelName: 'churn-classifier',
    traffic: PROFILE[target],
    forceTarget: target,
    modelRepository: fixture.modelRepository,
    vpc: fixture.vpc,
    image: fixture.image,
    prometheusWorkspace: fixture.prometheusWorkspace,
    capture: capture === 'default' ? { bucket: silver, encryptionKey, sampleFraction: 0.05 } : (capture ?? undefined),
  });
  const stack = fixture.stack;
  const template = Template.fromStack(stack);
  const ref = (construct: s3.Bucket | kms.Key) => stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);
  return { template, serving, silverId: ref(silver), keyId: ref(encryptionKey) };
}

/** Every statement of the permissions policy (a ManagedPolicyRole's) whose logical ID starts with `<rolePrefix>Permissions`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  return Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(([id, policy]) =>
    id.startsWith(`${rolePrefix}Permissions`) ? (policy.Properties.PolicyDocument.Statement as Statement[]) : [],
  );
}

function environmentOf(template: Template, target: ServingTarget): Record<string, unknown> {
  if (target === 'lambda') {
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0];
    return fn.Properties.Environment.Variables;
  }
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
  const server = task.Properties.ContainerDefinitions.find((c: { Name: string }) => c.Name !== 'MetricsCollector');
  return Object.fromEntries(server.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
}

const ROLE_OF: Record<ServingTarget, string> = { lambda: 'ModelLambdaRole', fargate: 'ModelFargateTaskRole', eks: 'ModelEksPodRole' };

describe.each(['lambda', 'fargate', 'eks'] as const)('inference capture on %s', (target) => {
  const { template, serving, silverId, keyId } = build(target);

  test('the role may PutObject under inference-capture/<model>/ of the silver bucket, and nothing else there', () => {
    expect(serving.target).toBe(target);
    const statements = statementsOf(template, ROLE_OF[target]);
    const onSilver = statements.filter((s) => JSON.stringify(s.Resource).includes(silverId));
    expect(onSilver).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [silverId, 'Arn'] }, `/${inferenceCapturePrefix('churn-classifier')}*`]] },
      },
    ]);
  });

  test('the lakehouse key: GenerateDataKey only, only through S3', () => {
    const onKey = statementsOf(template, ROLE_OF[target]).filter((s) => JSON.stringify(s.Resource).includes(keyId));
    expect(onKey).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
    ]);
  });

  if (target !== 'eks') {
    test('the container gets the model-scoped fraction and the bucket, which its own settings parser accepts', () => {
      const env = environmentOf(template, target);
      expect(env[CAPTURE_ENV.sampleFraction]).toBe('churn-classifier=0.05');
      expect(env[CAPTURE_ENV.destination]).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: silverId }]] });
      const settings = loadCaptureSettings({
        [CAPTURE_ENV.sampleFraction]: String(env[CAPTURE_ENV.sampleFraction]),
        [CAPTURE_ENV.destination]: 's3://silver-bucket',
      });
      expect(settings.fractions.get('churn-classifier')).toBe(0.05);
      expect(settings.defaultFraction).toBe(0);
    });
  } else {
    test('the bucket is a stack output for the cdktf variable capture_destination', () => {
      template.hasOutput('*', { Value: { 'Fn::Join': ['', ['s3://', { Ref: silverId }]] }, Description: 'CAPTURE_DESTINATION: -var capture_destination=' });
    });
  }

  test('a fraction of 0 is capture off: no variables, no grant on the silver bucket or the key', () => {
    const fixture = build(target, null);
    const off = build(target, {
      bucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'silver'),
      encryptionKey: kms.Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:us-east-1:111111111111:key/k'),
      sampleFraction: 0,
    });
    for (const { template: t } of [fixture, off]) {
      const statements = JSON.stringify(statementsOf(t, ROLE_OF[target]));
      expect(statements).not.toContain('s3:PutObject');
      expect(statements).not.toContain('kms:GenerateDataKey');
      if (target !== 'eks') expect(environmentOf(t, target)[CAPTURE_ENV.sampleFraction]).toBeUndefined();
    }
  });
});

describe('the grant covers what the container writes', () => {
  /** IAM's wildcard matching of an object key against the key part of a resource pattern. */
  const granted = (pattern: string, key: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(key);
  const pattern = `${inferenceCapturePrefix('churn-classifier')}*`;

  test("every capture key of the model (any version, day, writer) is under the granted pattern; another model's is not", () => {
    const file = captureFileName(new Date('2026-11-30T01:02:03.456Z'), 'task-7f3a', 42);
    expect(granted(pattern, captureObjectKey('churn-classifier', '3', '2026-11-30', file))).toBe(true);
    expect(granted(pattern, captureObjectKey('churn-classifier-v2', '3', '2026-11-30', file))).toBe(false);
    expect(granted(pattern, captureObjectKey('fraud-scorer', '3', '2026-11-30', file))).toBe(false);
  });
});

describe('inference capture validation', () => {
  test.each([-0.1, 1.5, Number.NaN])('sampleFraction %p fails naming the construct, the prop and the range', (fraction) => {
    expect(() =>
      build('lambda', {
        bucket: s3.Bucket.fromBucketName(new Stack(), 'B', 'silver'),
        encryptionKey: kms.Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:us-east-1:111111111111:key/k'),
        sampleFraction: fraction,
      }),
    ).toThrow(/LambdaServing.*capture\.sampleFraction.*from 0 \(capture off\) to 1/);
  });
});

describe("ServingStack: capture comes from each model's drift block (prod sample config)", () => {
  const app = new App({ context: fastCdkContext() });
  const { config } = loadEnvironment(cdkContext().environments, 'prod');
  const support = new Stack(app, 'Support');
  const lakehouse = new LakehouseStorage(support, 'Lakehouse');
  const stack = new ServingStack(app, 'Serving', {
    config,
    vpc: new PlatformNetwork(support, 'Network').vpc,
    modelRepository: new ModelRepository(support, 'ModelRepository'),
    metricsWorkspace: testMetricsWorkspace(support),
    imageDirectory: FIXTURE_IMAGE_DIRECTORY,
    lakehouse,
  });
  const template = Template.fromStack(stack);
  const captureResources = (
    Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] } } }>
  )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((s) => s.Action === 's3:PutObject')
    .map((s) => JSON.stringify(s.Resource).match(/inference-capture\/[^*]+\*/)?.[0]);

  test('every model with a drift block may write its own capture prefix; a model without one writes nothing', () => {
    const drifted = config.models.filter((m) => m.drift && m.drift.captureSampleFraction > 0).map((m) => m.name);
    expect(drifted).toEqual(['churn-classifier', 'fraud-scorer']);
    expect(captureResources.sort()).toEqual(drifted.map((m) => `${inferenceCapturePrefix(m)}*`).sort());
  });

  test('the Fargate model captures at its configured fraction', () => {
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    const server = task.Properties.ContainerDefinitions.find((c: { Name: string }) => c.Name !== 'MetricsCollector');
    expect(server.Environment).toContainEqual({ Name: CAPTURE_ENV.sampleFraction, Value: 'churn-classifier=0.05' });
  });
});
