import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PlatformFunction } from '../../../../constructs/functions';
import { OperationsAlerts } from '../../../../constructs/operations';
import { fastCdkContext } from '../../../support/cdk-context';
import { buildFunction, ECHO_ENTRY } from './build-function';

function keyIdOf(template: Template): string {
  return Object.keys(template.findResources('AWS::KMS::Key'))[0];
}

describe('PlatformFunction defaults', () => {
  const { stack, fn } = buildFunction();
  const template = Template.fromStack(stack);

  test('Node.js 24 on arm64, tracing, JSON logs, the chosen memory, timeout and reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 60,
      ReservedConcurrentExecutions: 3,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' }),
    });
  });

  test('runs in the private subnets with its own HTTPS-only security group', () => {
    const fnProps = template.findResources('AWS::Lambda::Function', { Properties: { Description: 'test function' } });
    const vpcConfig = Object.values(fnProps)[0].Properties.VpcConfig;
    const privateSubnets = Object.keys(template.findResources('AWS::EC2::Subnet')).filter((id) => id.includes('Private'));
    expect(vpcConfig.SubnetIds.map((ref: { Ref: string }) => ref.Ref).sort()).toEqual(privateSubnets.sort());
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
    const groupId = vpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
    expect(template.findResources('AWS::EC2::SecurityGroup')[groupId].Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('one new key encrypts the log group, the environment and the dead-letter queue; CloudWatch Logs may use it', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    const keyArn = { 'Fn::GetAtt': [keyIdOf(template), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Function', { KmsKeyArn: keyArn });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsOfThisAccount',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('logs are kept 365 days and everything is retained with the stack', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('failed asynchronous invocations go to the encrypted, TLS-only dead-letter queue after 2 retries, kept 14 days', () => {
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('its role has no AWS-managed policy: logs, network interfaces and tracing sit in one customer-managed policy', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const role = Object.values(roles).find((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'));
    expect(JSON.stringify(role?.Properties.ManagedPolicyArns)).not.toContain('arn:aws:iam::aws:policy');
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' }),
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
          Match.objectLike({ Sid: 'DescribeNetworkInterfaces', Resource: '*' }),
          Match.objectLike({ Sid: 'CreateNetworkInterfacesInOwnSubnets', Action: 'ec2:CreateNetworkInterface' }),
          Match.objectLike({ Sid: 'ManageNetworkInterfaces' }),
        ]),
      },
    });
  });

  test("the bundle's index.handler on the newest Node.js runtime", () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs24.x' });
    expect(fn.function.runtime).toBe(lambda.Runtime.NODEJS_24_X);
  });

  test('the Resource::* and network-interface wildcards are acknowledged on the permissions policy, with reasons', () => {
    const policy = fn.role.node.findChild('Permissions').node.defaultChild!;
    const acknowledged = policy.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    expect(acknowledged).toEqual(expect.arrayContaining(['AwsSolutions::AwsSolutions-IAM5[Resource::*]']));
  });
});

describe('PlatformFunction with custom props', () => {
  test('x86_64, log retention, removal, dead-letter retention, retries and environment', () => {
    const { stack: customStack } = buildFunction({
      architecture: lambda.Architecture.X86_64,
      logRetention: Duration.days(30),
      removalPolicy: RemovalPolicy.DESTROY,
      environment: { SILVER_BUCKET: 'silver' },
      deadLetterRetention: Duration.days(4),
      retryAttempts: 0,
    });
    const template = Template.fromStack(customStack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['x86_64'],
      Environment: { Variables: { SILVER_BUCKET: 'silver' } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 4 * 24 * 3600 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  test('a given key and security group are used instead of new ones', () => {
    const { stack, vpc } = buildFunction({ memorySize: 256 });
    const key = new kms.Key(stack, 'GivenKey');
    const group = new ec2.SecurityGroup(stack, 'GivenGroup', { vpc });
    new PlatformFunction(stack, 'WithGiven', {
      entry: ECHO_ENTRY,
      description: 'given key and group',
      memorySize: 256,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 1,
      vpc,
      encryptionKey: key,
      securityGroup: group,
    });
    const template = Template.fromStack(stack);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('GivenKey'))!;
    const groupId = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).find((id) => id.startsWith('GivenGroup'))!;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'given key and group',
      KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
      VpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }] }),
    });
  });

  test('an on-failure destination instead of a DeadLetterConfig, acknowledged on the function', () => {
    const { stack, fn } = buildFunction({ asyncFailureHandling: 'on-failure-destination' });
    const template = Template.fromStack(stack);
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      MaximumRetryAttempts: 2,
    });
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: 'test function' } });
    expect(Object.values(functions)[0].Properties.DeadLetterConfig).toBeUndefined();
    const acknowledged = fn.cfnFunction.node.metadata.flatMap((entry) => Object.keys((entry.data ?? {}) as Record<string, string>));
    expect(acknowledged).toContain('NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ');
  });
});

describe('PlatformFunction validation', () => {
  test.each([
    [{ memorySize: 64 }, /invalid memorySize = 64; an integer number of MB from 128 to 10240/],
    [{ memorySize: 20_000 }, /invalid memorySize = 20000/],
    [{ timeout: Duration.minutes(16) }, /invalid timeout = "960 seconds"; from 1 second to 15 minutes/],
    [{ reservedConcurrentExecutions: 0 }, /invalid reservedConcurrentExecutions = 0; a positive integer/],
    [{ retryAttempts: 3 }, /invalid retryAttempts = 3; an integer from 0 to 2/],
    [{ logRetention: Duration.days(11) }, /invalid retention = "11 days"; one of/],
  ])('%o is rejected', (overrides, message) => {
    expect(() => buildFunction(overrides)).toThrow(message);
  });
});

describe('PlatformFunction as a resource', () => {
  const { stack, fn } = buildFunction();
  const bucket = new s3.Bucket(stack, 'Data');
  const grant = bucket.grantRead(fn);
  const alerts = new OperationsAlerts(stack, 'Alerts');
  const [messagesAlarm, ageAlarm] = fn.addAlarms(alerts);
  const template = Template.fromStack(stack);

  test("is IGrantable: a bucket grant lands in the role's one managed policy", () => {
    expect(fn.grantPrincipal).toBe(fn.role);
    expect(grant.success).toBe(true);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']), Resource: Match.anyValue() })]) },
    });
  });

  test("metricErrors and metricThrottles: the function's Lambda metrics, summed over 5 minutes", () => {
    for (const [metric, name] of [
      [fn.metricErrors(), 'Errors'],
      [fn.metricThrottles(), 'Throttles'],
    ] as const) {
      expect(metric).toMatchObject({ namespace: 'AWS/Lambda', metricName: name, statistic: 'Sum' });
      expect(metric.period.toSeconds()).toBe(300);
      expect(stack.resolve(metric.dimensions)).toEqual({ FunctionName: { Ref: stack.getLogicalId(fn.cfnFunction) } });
    }
  });

  test('the dead-letter alarms are built on metricDeadLetterMessages and metricDeadLetterAge', () => {
    const same = (alarm: { metric: unknown }, metric: unknown) => expect(stack.resolve(alarm.metric)).toEqual(stack.resolve(metric));
    same(messagesAlarm, fn.metricDeadLetterMessages());
    same(ageAlarm, fn.metricDeadLetterAge());
  });
});

describe('PlatformFunction in a stack with a concrete account and region', () => {
  test('cdk-nag finds no unacknowledged network-interface wildcard (the acknowledgment is rendered with the real region and account)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk.out-env-'));
    try {
      const app = new App({ outdir, context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const stack = new Stack(app, 'Concrete', { env: { account: '111122223333', region: 'eu-west-1' } });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false });
      new PlatformFunction(stack, 'Fn', {
        entry: ECHO_ENTRY,
        description: 'concrete env',
        memorySize: 256,
        timeout: Duration.seconds(30),
        reservedConcurrentExecutions: 1,
        vpc,
      });
      try {
        app.synth();
      } catch {
        // Findings elsewhere (the test VPC) fail synth; only this function's are asserted below.
      }
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
      };
      const violations = report.pluginReports.flatMap((plugin) => plugin.violations);
      expect(violations.filter((violation) => violation.violatingConstructs.some((c) => c.constructPath.startsWith('Concrete/Fn/')))).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
