import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DriftDetection, type DriftDetectionProps } from '../../../../constructs/drift';
import { LakehouseStorage } from '../../../../constructs/lakehouse';
import { ModelRegistry, ModelRepository } from '../../../../constructs/model-registry';
import { DRIFT_DETECTOR_ENV } from '../../../../lib/drift';
import { fastCdkContext } from '../../../support/cdk-context';

const MODELS = [
  { name: 'churn-classifier', psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 1000 },
  { name: 'fraud-scorer', psiThreshold: 0.25, ksStatistic: 0.15, minSamples: 5000 },
];

function build(props: Partial<DriftDetectionProps> = {}) {
  const stack = new Stack(new App({ context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } }), 'Drift');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const lakehouse = new LakehouseStorage(stack, 'Lake', {});
  const modelRepository = new ModelRepository(stack, 'Repo', {});
  const modelRegistry = new ModelRegistry(stack, 'Registry', {
    modelNames: [...MODELS.map((m) => m.name), 'doc-embedder'],
    groupNamePrefix: 'dev-',
    approvalMode: 'auto',
  });
  const drift = new DriftDetection(stack, 'DriftDetection', {
    environmentName: 'dev',
    models: MODELS,
    lakehouse,
    modelRepository,
    modelRegistry,
    vpc,
    ...props,
  });
  return { stack, drift, lakehouse, modelRepository, template: () => Template.fromStack(stack) };
}

const ref = (logicalIdPrefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${logicalIdPrefix}`), 'Arn'] });
/** The policy statements of the detector's managed policy. */
function detectorStatements(template: Template): { Action: string | string[]; Resource: unknown }[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const detector = Object.entries(policies).find(([id]) => id.startsWith('DriftDetectionDetectorRole'));
  return (detector![1] as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument
    .Statement;
}
const joined = (value: unknown) => JSON.stringify(value);

describe('DriftDetection defaults', () => {
  const { drift, template: t } = build();
  const template = t();

  test('runs the detector every 60 minutes, retrying twice and dead-lettering what still fails', () => {
    expect(drift.schedule.toMinutes()).toBe(60);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: ref('DriftDetectionDetectorFunction'),
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: ref('DriftDetectionDetectorDeadLetterQueue') },
        }),
      ],
    });
  });

  test('the function gets the models, thresholds, schedule, buckets, package ARN prefix and the default bus', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Inference capture vs training baseline'),
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          [DRIFT_DETECTOR_ENV.environmentName]: 'dev',
          [DRIFT_DETECTOR_ENV.models]: JSON.stringify(MODELS),
          [DRIFT_DETECTOR_ENV.scheduleMinutes]: '60',
          [DRIFT_DETECTOR_ENV.eventBusName]: 'default',
          MODEL_REPOSITORY_PREFIX: 'models/',
          [DRIFT_DETECTOR_ENV.modelPackageArnPrefix]: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':model-package/dev-']],
          },
        }),
      },
    });
  });

  test('grants are scoped to the capture, state and baseline prefixes', () => {
    const statements = detectorStatements(template);
    const objectStatements = statements.filter((s) => joined(s.Action).includes('s3:GetObject') || joined(s.Action).includes('s3:PutObject'));
    const resources = objectStatements.map((s) => joined(s.Resource));
    expect(resources.some((r) => r.includes('/inference-capture/*'))).toBe(true);
    expect(resources.some((r) => r.includes('/drift-detector/*'))).toBe(true);
    expect(resources.some((r) => r.includes('/models/*/drift-baseline.json'))).toBe(true);
    expect(resources.some((r) => r.includes('/model-artifacts/*'))).toBe(true);
    // Every object grant names one of those prefixes: nothing on a whole bucket.
    for (const r of resources) expect(r).toMatch(/\/(inference-capture|drift-detector|models\/\*\/drift-baseline\.json|model-artifacts)/);
    // Writes only to its own state.
    const writes = statements.filter((s) => joined(s.Action).includes('s3:PutObject'));
    expect(writes.map((s) => joined(s.Resource))).toEqual([expect.stringContaining('/drift-detector/*')]);
    // Describe on the model package groups' versions, PutEvents on the default bus.
    const describe = statements.filter((s) => joined(s.Action).includes('sagemaker:DescribeModelPackage'));
    expect(joined(describe)).toContain(':model-package/dev-churn-classifier/*');
    expect(joined(describe)).toContain(':model-package/dev-fraud-scorer/*');
    expect(joined(describe)).not.toContain('doc-embedder'); // a model without drift detection
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'events:PutEvents',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
        },
      }),
    );
  });

  test('one drift alarm per model on DriftFeaturesDrifted ≥ 1 (service, model), missing data not breaching', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'MlopsBlueprint',
      MetricName: 'DriftFeaturesDrifted',
      Dimensions: Match.arrayEquals([
        { Name: 'model', Value: 'fraud-scorer' },
        { Name: 'service', Value: 'drift-detector' },
      ]),
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp("^Input drift on fraud-scorer \\(dev\\): a feature's PSI reached 0.25 or its KS statistic 0.15"),
    });
  });

  test('no retrain rule until a target is given', () => {
    expect(drift.retrainRule).toBeUndefined();
    template.resourceCountIs('AWS::Events::Rule', 1);
  });
});

describe('DriftDetection custom', () => {
  test('retrainFunction: a rule sends DriftDetected of this environment to it, with retries and a dead-letter queue', () => {
    const { stack, drift, template } = build();
    const fn = new lambda.Function(stack, 'StartTraining', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>{}'),
    });
    expect(drift.addRetrainTarget(fn)).toBe(drift.retrainRule);
    const t = template();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['mlops-blueprint'], 'detail-type': ['DriftDetected'], detail: { environment: ['dev'] } },
      Targets: [
        Match.objectLike({
          Arn: ref('StartTraining'),
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: ref('DriftDetectionDetectorDeadLetterQueue') },
        }),
      ],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: ref('StartTraining'),
    });
  });

  test('schedule and alarm action', () => {
    const alarmActionArn = 'arn:aws:sns:us-east-1:111122223333:alerts';
    const { template } = build({ schedule: Duration.minutes(15), alarmAction: { bind: () => ({ alarmActionArn }) } });
    const t = template();
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 900, AlarmActions: [alarmActionArn] });
  });
});

describe('DriftDetection validation', () => {
  test.each([
    ['a schedule under 5 minutes', { schedule: Duration.minutes(2) }, /DriftDetection: invalid schedule = "2 minutes"; whole minutes from 5 to 1440/],
    [
      'a schedule in part minutes',
      { schedule: Duration.seconds(390) },
      /DriftDetection: invalid schedule = "6 minutes 30 seconds"; whole minutes from 5 to 1440/,
    ],
    ['no model', { models: [] }, /DriftDetection: invalid models = "\[\]"; at least one model/],
    ['a model twice', { models: [MODELS[0], MODELS[0]] }, /DriftDetection: invalid models = "churn-classifier"; each model once/],
    ['an environment name with capitals', { environmentName: 'Dev' }, /DriftDetection: invalid environmentName = "Dev"; lower-case letters/],
  ])('refuses %s, naming the prop, the value and the rule', (_what, props, message) => {
    expect(() => build(props as Partial<DriftDetectionProps>)).toThrow(message);
  });
});
