import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ModelPromotion, type ModelPromotionProps } from '../../../../constructs/functions';
import { ModelRegistry, ModelRepository } from '../../../../constructs/model-registry';
import { parseArchiveLimitsByModel } from '../../../../lib/config/promotion';
import { dataPathFixture, functionByDescription, permissionsOf } from './data-path-fixture';

function build(props: Partial<ModelPromotionProps> = {}) {
  const fixture = dataPathFixture();
  const modelRegistry = new ModelRegistry(fixture.stack, 'ModelRegistry', {
    modelNames: ['churn-classifier', 'fraud-scorer'],
    groupNamePrefix: 'test-',
    approvalMode: 'auto',
  });
  const modelRepository = new ModelRepository(fixture.stack, 'Repository');
  const promotion = new ModelPromotion(fixture.stack, 'PromoteModel', {
    vpc: fixture.vpc,
    lakehouse: fixture.lakehouse,
    modelRegistry,
    modelRepository,
    ...props,
  });
  return { ...fixture, modelRegistry, modelRepository, promotion };
}

describe('ModelPromotion defaults', () => {
  const { stack, promotion, modelRegistry, alerts } = build();
  const alarms = promotion.addAlarms(alerts);
  const template = Template.fromStack(stack);
  const fn = functionByDescription(template, /^Approved model package/);
  const dlqId = stack.getLogicalId(promotion.deadLetterQueue.node.defaultChild as never);

  test('512 MB, 10 minutes, 2 promotions at once, 2 async retries then the on-failure destination', () => {
    expect(fn.props).toMatchObject({ MemorySize: 512, Timeout: 600, ReservedConcurrentExecutions: 2 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn.id },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
  });

  test('the environment the handler reads: repository bucket and prefix, and group → model names', () => {
    const variables = fn.props.Environment.Variables;
    expect(variables.MODEL_REPOSITORY_PREFIX).toBe('models/');
    expect(variables.MODEL_REPOSITORY_BUCKET.Ref).toMatch(/^RepositoryBucket/);
    expect(JSON.parse(variables.MODEL_PACKAGE_GROUPS)).toEqual({ 'test-churn-classifier': 'churn-classifier', 'test-fraud-scorer': 'fraud-scorer' });
    // No per-model archive limits: the handler applies FALLBACK_ARCHIVE_LIMITS to every model.
    expect(JSON.parse(variables.PROMOTION_ARCHIVE_LIMITS)).toEqual({});
  });

  test("the registry's Approved rule (a child of the registry) invokes it, retrying for 24 hours, undeliverable events to its DLQ", () => {
    expect(promotion.approvedRule.node.scope).toBe(modelRegistry);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['test-churn-classifier', 'test-fraud-scorer'], ModelApprovalStatus: ['Approved'] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fn.id, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        }),
      ],
    });
  });

  test('describes the packages, copies gold model-artifacts/, writes the repository prefix; cannot approve or register', () => {
    const policy = permissionsOf(template, 'PromoteModelRolePermissions');
    expect(policy).toContain('"Action":"sagemaker:DescribeModelPackage"');
    expect(policy).toContain(':model-package/test-fraud-scorer/*');
    expect(policy).toContain('"/model-artifacts/*"');
    // The copy replaces tags (TaggingDirective REPLACE), so neither side needs a tagging permission.
    expect(policy).not.toContain('Tagging');
    expect(policy).not.toMatch(/s3:DeleteObject|PutObjectRetention|PutObjectLegalHold|kms:ReEncrypt|kms:Encrypt/);
    expect(policy).toContain('"/models/*"');
    expect(policy).not.toMatch(/sagemaker:UpdateModelPackage|sagemaker:CreateModelPackage/);
  });

  test('addAlarms: the dead-letter queue only (no work queue)', () => {
    expect(alarms.map((alarm) => alarm.node.id).sort()).toEqual(['DeadLetterAgeAlarm', 'DeadLetterMessagesAlarm']);
  });
});

describe('ModelPromotion custom props', () => {
  test('maxEventAge and sizing follow the props', () => {
    const { stack } = build({ maxEventAge: Duration.hours(2), memorySize: 2048, timeout: Duration.minutes(15) });
    const template = Template.fromStack(stack);
    expect(functionByDescription(template, /^Approved model package/).props).toMatchObject({ MemorySize: 2048, Timeout: 900 });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 185 } })],
    });
  });

  test('archiveLimits reach the handler, parsed back exactly as it reads them', () => {
    const limits = { 'churn-classifier': { maxModelBytes: 1024, maxExpandedBytes: 4096, maxEntries: 10, maxHeaderBytes: 512 } };
    const { stack } = build({ archiveLimits: limits });
    const variables = functionByDescription(Template.fromStack(stack), /^Approved model package/).props.Environment.Variables;
    expect(parseArchiveLimitsByModel(variables.PROMOTION_ARCHIVE_LIMITS)).toEqual(new Map(Object.entries(limits)));
  });
});

describe('ModelPromotion validation', () => {
  test.each([Duration.seconds(30), Duration.hours(25)])('maxEventAge %s', (maxEventAge) => {
    expect(() => build({ maxEventAge })).toThrow(/ModelPromotion: invalid maxEventAge = ".*"; from 1 minute to 24 hours \(EventBridge retry policy\)/);
  });

  test('archiveLimits with a value that is not a positive whole number', () => {
    const archiveLimits = { 'churn-classifier': { maxModelBytes: 0, maxExpandedBytes: 4096, maxEntries: 10, maxHeaderBytes: 512 } };
    expect(() => build({ archiveLimits })).toThrow(
      /^ModelPromotion: invalid archiveLimits\.churn-classifier\.maxModelBytes = \{"maxModelBytes":0,.*; a positive whole number of bytes or entries/,
    );
  });
});
