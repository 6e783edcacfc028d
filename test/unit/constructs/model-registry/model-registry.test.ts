import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { approverPrincipals, ModelRegistry, type ModelRegistryProps } from '../../../../constructs/model-registry';
import { fastCdkContext } from '../../../support/cdk-context';

const RELEASE_MANAGERS = 'arn:aws:iam::111122223333:role/release-managers';

function build(props: Partial<ModelRegistryProps> = {}) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Registry');
  const approvers = (props.approvalMode ?? 'manual') === 'manual' ? [new iam.ArnPrincipal(RELEASE_MANAGERS)] : undefined;
  const registry = new ModelRegistry(stack, 'ModelRegistry', { modelNames: ['churn-classifier', 'fraud-scorer'], approvers, ...props });
  return { stack, registry };
}

const packagesOf = (group: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:model-package/${group}/*`]],
});

describe('ModelRegistry defaults (manual approval)', () => {
  const { stack, registry } = build();
  const template = Template.fromStack(stack);

  test('one model package group per model, named exactly as the model (groupNamePrefix defaults to empty), retained', () => {
    expect(registry.groupNamePrefix).toBe('');
    expect(registry.groupName('churn-classifier')).toBe('churn-classifier');
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 2);
    template.hasResource('AWS::SageMaker::ModelPackageGroup', {
      Properties: Match.objectLike({ ModelPackageGroupName: 'churn-classifier' }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'fraud-scorer' });
  });

  test('manual mode: an approver role may approve packages of every group', () => {
    expect(registry.approvalMode).toBe('manual');
    expect(registry.approverRole).toBeDefined();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Sid: 'ApproveModelPackages',
            Action: ['sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage'],
            Resource: [packagesOf('churn-classifier'), packagesOf('fraud-scorer')],
          }),
        ],
      },
    });
  });

  test('manual mode: each group denies setting or creating Approved to every principal but the approver role', () => {
    const approverId = stack.getLogicalId(registry.approverRole!.node.defaultChild as never);
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'churn-classifier',
      ModelPackageGroupPolicy: {
        Statement: [
          {
            Sid: 'OnlyTheApproverMayApprove',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['sagemaker:UpdateModelPackage', 'sagemaker:CreateModelPackage'],
            Resource: packagesOf('churn-classifier'),
            Condition: {
              StringEquals: { 'sagemaker:ModelApprovalStatus': 'Approved' },
              ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [approverId, 'Arn'] } },
            },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('manual mode: the approver role trusts the configured approvers only, never the account root', () => {
    const approverId = stack.getLogicalId(registry.approverRole!.node.defaultChild as never);
    const trust = template.toJSON().Resources[approverId].Properties.AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: RELEASE_MANAGERS } }]);
  });

  test('manual mode: grantApprove is refused with the reason', () => {
    const role = new iam.Role(stack, 'Gate', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    expect(() => registry.grantApprove(role)).toThrow(
      /invalid approvalMode = "manual"; grantApprove is for auto mode; in manual mode only approverRole approves/,
    );
  });

  test('no cross-account reader, and no rule until onPackageApproved', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('ProductionAccountReads');
    template.resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('ModelRegistry with custom props', () => {
  test('auto mode: no approver role and no deny; the evaluation gate is granted UpdateModelPackage', () => {
    const { stack, registry } = build({ approvalMode: 'auto' });
    const gate = new iam.Role(stack, 'Gate', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    registry.grantApprove(gate);
    const template = Template.fromStack(stack);
    expect(registry.approverRole).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::SageMaker::ModelPackageGroup'))).not.toContain('ModelPackageGroupPolicy');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage'],
            Resource: [packagesOf('churn-classifier'), packagesOf('fraud-scorer')],
          }),
        ],
      },
    });
  });

  test('grantRegister allows CreateModelPackage only as PendingManualApproval; grantDescribe DescribeModelPackage', () => {
    const { stack, registry } = build();
    const pipeline = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    registry.grantRegister(pipeline);
    registry.grantDescribe(pipeline);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sagemaker:CreateModelPackage',
            Condition: { StringEquals: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
          }),
          Match.objectLike({ Action: 'sagemaker:DescribeModelPackage', Resource: [packagesOf('churn-classifier'), packagesOf('fraud-scorer')] }),
        ],
      },
    });
  });

  test('a production reader account may describe and list the groups and their packages', () => {
    const { stack } = build({ productionReaderAccountId: '111122223333', approvalMode: 'auto', removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::SageMaker::ModelPackageGroup', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'fraud-scorer',
      ModelPackageGroupPolicy: {
        Statement: [
          Match.objectLike({
            Sid: 'ProductionAccountReads',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
            Action: ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
          }),
        ],
      },
    });
  });

  test("onPackageApproved: a rule on the groups' Approved packages, with the given target", () => {
    const stack = new Stack(new App({ context: fastCdkContext() }), 'Promotion');
    const fn = new lambda.Function(stack, 'Promote', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>{}'),
    });
    const dlq = new sqs.Queue(stack, 'Dlq');
    const registry = new ModelRegistry(stack, 'ModelRegistry', { modelNames: ['churn-classifier'], approvalMode: 'auto' });
    registry.onPackageApproved('ApprovedRule', {
      target: new targets.LambdaFunction(fn, { deadLetterQueue: dlq, maxEventAge: Duration.hours(2), retryAttempts: 185 }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['churn-classifier'], ModelApprovalStatus: ['Approved'] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as never), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(dlq.node.defaultChild as never), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 185 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });
});

describe('ModelRegistry with groupNamePrefix', () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Scoped');
  const fn = new lambda.Function(stack, 'Promote', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler=async()=>{}'),
  });
  const registry = new ModelRegistry(stack, 'ModelRegistry', {
    modelNames: ['churn-classifier', 'fraud-scorer'],
    groupNamePrefix: 'dev-',
    productionReaderAccountId: '111122223333',
    approvers: [new iam.ArnPrincipal(RELEASE_MANAGERS)],
  });
  registry.onPackageApproved('ApprovedRule', { target: new targets.LambdaFunction(fn) });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  registry.grantDescribe(reader);
  const template = Template.fromStack(stack);
  const groupArnOf = (group: string) => ({
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:model-package-group/${group}`],
    ],
  });

  test('groups are named <prefix><model>; construct IDs stay per model', () => {
    expect(registry.groupName('fraud-scorer')).toBe('dev-fraud-scorer');
    expect(registry.modelNamesByGroup()).toEqual({ 'dev-churn-classifier': 'churn-classifier', 'dev-fraud-scorer': 'fraud-scorer' });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'dev-churn-classifier' });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'dev-fraud-scorer' });
    expect(
      Object.keys(template.findResources('AWS::SageMaker::ModelPackageGroup')).every((id) => /^ModelRegistryGroup(ChurnClassifier|FraudScorer)/.test(id)),
    ).toBe(true);
  });

  test('the Approved rule matches the group names, not the model names', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { ModelPackageGroupName: ['dev-churn-classifier', 'dev-fraud-scorer'], ModelApprovalStatus: ['Approved'] } }),
    });
  });

  test('ARNs in the approver policy, the deny, the cross-account reader statement and grants name the groups', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Sid: 'ApproveModelPackages', Resource: [packagesOf('dev-churn-classifier'), packagesOf('dev-fraud-scorer')] })],
      },
    });
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'dev-fraud-scorer',
      ModelPackageGroupPolicy: {
        Statement: [
          Match.objectLike({ Sid: 'OnlyTheApproverMayApprove', Resource: packagesOf('dev-fraud-scorer') }),
          Match.objectLike({ Sid: 'ProductionAccountReads', Resource: [groupArnOf('dev-fraud-scorer'), packagesOf('dev-fraud-scorer')] }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sagemaker:DescribeModelPackage', Resource: [packagesOf('dev-churn-classifier'), packagesOf('dev-fraud-scorer')] }),
        ],
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/:model-package\/(churn-classifier|fraud-scorer)\//);
  });

  test('groupName refuses a model the registry does not hold', () => {
    expect(() => registry.groupName('doc-embedder')).toThrow('ModelRegistry: no model "doc-embedder"; the registry holds churn-classifier, fraud-scorer');
  });
});

describe('ModelRegistry validation', () => {
  test.each([
    [{ modelNames: ['bad_name'] }, /invalid modelNames = "bad_name"; letters, digits and hyphens/],
    [{ modelNames: ['a', 'a'] }, /invalid modelNames = "a"; each model once/],
    [{ productionReaderAccountId: '1234' }, /invalid productionReaderAccountId = "1234"; a 12-digit AWS account ID/],
    [
      { groupNamePrefix: 'dev_' },
      /invalid groupNamePrefix = "dev_"; with model churn-classifier the group name would be "dev_churn-classifier" \(20 characters\); group names are letters, digits and hyphens/,
    ],
    [{ groupNamePrefix: '-' }, /invalid groupNamePrefix = "-"; with model churn-classifier the group name would be "-churn-classifier"/],
    [
      { groupNamePrefix: `${'e'.repeat(48)}-` },
      /invalid groupNamePrefix = "e{48}-"; with model churn-classifier the group name would be "e{48}-churn-classifier" \(65 characters\); .* at most 63 characters/,
    ],
  ])('%o is rejected', (overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});

describe('ModelRegistry approvers', () => {
  test('role ARNs and an IAM Identity Center permission set: one trust statement each, the permission set bound to its provisioned role', () => {
    const { stack, registry } = build({ approvers: approverPrincipals({ roleArns: [RELEASE_MANAGERS], ssoPermissionSetName: 'MLReleaseManager' }) });
    const trust =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(registry.approverRole!.node.defaultChild as never)].Properties.AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: RELEASE_MANAGERS } },
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
        Condition: {
          ArnLike: {
            'aws:PrincipalArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':iam::',
                  { Ref: 'AWS::AccountId' },
                  ':role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_MLReleaseManager_*',
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  test('manual mode without approvers, and approvers in auto mode, are refused', () => {
    expect(() => build({ approvers: [] })).toThrow(/ModelRegistry: invalid approvers = "\[\]"; manual approval mode needs at least one principal/);
    expect(() => build({ approvalMode: 'auto', approvers: [new iam.ArnPrincipal(RELEASE_MANAGERS)] })).toThrow(
      /invalid approvers = "1 principal\(s\)"; only used in manual approval mode/,
    );
  });
});

describe('ModelRegistry.fromModelRegistryAttributes', () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer');
  const registry = ModelRegistry.fromModelRegistryAttributes(stack, 'Shared', {
    modelNames: ['churn-classifier'],
    groupNamePrefix: 'prod-',
    approvalMode: 'auto',
  });
  const gate = new iam.Role(stack, 'Gate', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const grants = [registry.grantDescribe(gate), registry.grantRegister(gate), registry.grantApprove(gate)];
  const fn = new lambda.Function(stack, 'Promote', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler=async()=>{}'),
  });
  const rule = registry.onPackageApproved('ApprovedRule', { target: new targets.LambdaFunction(fn) });
  const template = Template.fromStack(stack);

  test('names and ARNs from the group names; no group is created', () => {
    expect(registry.groupName('churn-classifier')).toBe('prod-churn-classifier');
    expect(registry.modelNamesByGroup()).toEqual({ 'prod-churn-classifier': 'churn-classifier' });
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 0);
  });

  test('every grant returns an iam.Grant on the packages of its groups', () => {
    for (const grant of grants) expect(grant.success).toBe(true);
    const policy = JSON.stringify(Object.values(template.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument);
    for (const action of ['sagemaker:DescribeModelPackage', 'sagemaker:CreateModelPackage', 'sagemaker:UpdateModelPackage']) expect(policy).toContain(action);
    expect(policy).toContain(':model-package/prod-churn-classifier/*');
  });

  test('the Approved rule works on an imported registry too', () => {
    expect(rule.node.scope).toBe(registry);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { ModelPackageGroupName: ['prod-churn-classifier'], ModelApprovalStatus: ['Approved'] } }),
    });
  });

  test('names are checked, and an imported manual registry refuses grantApprove', () => {
    expect(() => ModelRegistry.fromModelRegistryAttributes(stack, 'Bad', { modelNames: ['has space'] })).toThrow(
      /ModelRegistry: invalid modelNames = "has space"/,
    );
    const manual = ModelRegistry.fromModelRegistryAttributes(stack, 'Manual', { modelNames: ['churn-classifier'] });
    expect(() => manual.grantApprove(gate)).toThrow(/invalid approvalMode = "manual"/);
  });
});
