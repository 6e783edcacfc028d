import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaServing, type LambdaServingProps } from '../../../../constructs/serving';
import { servingFixture, sizingFor, SPARSE_PROFILE, STEADY_PROFILE } from './fixtures/serving-fixture';

function servingFunction(template: Template) {
  return Object.values(template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0];
}

function build(overrides: Partial<LambdaServingProps> = {}) {
  const fixture = servingFixture();
  const serving = new LambdaServing(fixture.stack, 'Serving', {
    modelName: 'churn-classifier',
    sizing: sizingFor('lambda', SPARSE_PROFILE),
    modelRepository: fixture.modelRepository,
    vpc: fixture.vpc,
    image: fixture.image,
    ...overrides,
  });
  return { ...fixture, serving };
}

describe('LambdaServing defaults', () => {
  const sizing = sizingFor('lambda', SPARSE_PROFILE);
  const { stack, serving } = build();
  const template = Template.fromStack(stack);

  test('a container-image function running the Lambda handler of the serving image, sized by the decision', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      ImageConfig: { EntryPoint: ['/lambda-entrypoint.sh'], Command: ['lambda.handler'] },
      MemorySize: sizing.memoryMb,
      Timeout: sizing.timeoutSeconds,
      Architectures: ['x86_64'],
      ReservedConcurrentExecutions: sizing.reservedConcurrency,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ MODEL_REPOSITORY: Match.anyValue(), SERVED_MODELS: 'churn-classifier' }) },
    });
  });

  test('runs in the private subnets with a security group that only allows outbound HTTPS', () => {
    const fn = servingFunction(template);
    const subnets = fn.Properties.VpcConfig.SubnetIds as Array<{ Ref: string }>;
    expect(subnets.length).toBe(2);
    for (const subnet of subnets) expect(subnet.Ref).toMatch(/PrivateSubnet/);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('churn-classifier Lambda serving'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
  });

  test('logs go to a KMS-encrypted log group kept for 365 days and retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: Match.anyValue() },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('the role reads the model repository through a customer-managed policy, with no inline policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:GetObject', 's3:GetObjectVersion'] })]),
      },
    });
  });

  test("Lambda's VPC interfaces through the scoped statements every platform function uses, not AWSLambdaVPCAccessExecutionRole", () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    const servingRole = roles.find((role) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'))!;
    expect(JSON.stringify(servingRole.Properties.ManagedPolicyArns)).not.toContain('AWSLambdaVPCAccessExecutionRole');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'DescribeNetworkInterfaces', Resource: '*' }),
          Match.objectLike({ Sid: 'CreateNetworkInterfacesInOwnSubnets', Action: 'ec2:CreateNetworkInterface' }),
          Match.objectLike({ Sid: 'ManageNetworkInterfaces' }),
        ]),
      },
    });
  });

  test('a live alias without provisioned concurrency when the SLO absorbs a cold start', () => {
    expect(sizing.provisionedConcurrency).toBe(0);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: Match.absent() });
  });

  test('a Function URL with IAM auth on the alias', () => {
    expect(serving.endpoint).toBe('function-url');
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', Qualifier: 'live' });
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });

  test('CodeDeploy shifts the alias by canary (10% for 5 minutes) and rolls back on failure, stop or alarm', () => {
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AutoRollbackConfiguration: { Enabled: true, Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM']) },
      AlarmConfiguration: { Enabled: true, Alarms: [Match.anyValue(), Match.anyValue()] },
    });
  });

  test('rollback alarms: error rate above 1% and p99 duration above 80% of the timeout', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * errors / MAX([invocations, 1])' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: sizing.timeoutSeconds * 1000 * 0.8,
    });
  });

  test('no dead-letter queue (synchronous calls only) and the acknowledgment says why', () => {
    const fn = servingFunction(template);
    expect(fn.Properties.DeadLetterConfig).toBeUndefined();
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });
});

describe('LambdaServing custom props', () => {
  test('provisioned concurrency on the alias when the decision priced it', () => {
    const sizing = sizingFor('lambda', STEADY_PROFILE);
    expect(sizing.provisionedConcurrency).toBeGreaterThan(0);
    const { stack } = build({ sizing });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Alias', {
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: sizing.provisionedConcurrency },
    });
  });

  test('an HTTP API with IAM authorization and encrypted access logs instead of a Function URL', () => {
    const { stack, serving } = build({ endpoint: 'http-api' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Url', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    expect(serving.httpApi).toBeDefined();
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
  });

  test('grantInvoke allows lambda:InvokeFunctionUrl, or execute-api:Invoke for the HTTP API', () => {
    const url = build();
    const urlCaller = new iam.Role(url.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    url.serving.grantInvoke(urlCaller);
    Template.fromStack(url.stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunctionUrl' })]) },
    });
    const api = build({ endpoint: 'http-api' });
    const apiCaller = new iam.Role(api.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api.serving.grantInvoke(apiCaller);
    Template.fromStack(api.stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke' })] },
    });
  });

  test('deployment config, latency objective, error-rate threshold, alarm action, retention and removal policy', () => {
    const fixture = servingFixture();
    const topic = new sns.Topic(fixture.stack, 'Topic');
    const { stack } = fixture;
    new LambdaServing(stack, 'Serving', {
      modelName: 'churn-classifier',
      sizing: sizingFor('lambda', SPARSE_PROFILE),
      modelRepository: fixture.modelRepository,
      vpc: fixture.vpc,
      image: fixture.image,
      deploymentConfig: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
      latencyObjective: Duration.millis(300),
      errorRateThresholdPercent: 5,
      alarmAction: new cloudwatchActions.SnsAction(topic),
      logRetention: Duration.days(30),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 300, AlarmActions: [Match.anyValue()] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, AlarmActions: [Match.anyValue()] });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });
});

describe('LambdaServing validation', () => {
  const sizing = sizingFor('lambda', STEADY_PROFILE);

  test('provisioned concurrency above the reserved concurrency', () => {
    expect(() => build({ sizing: { ...sizing, provisionedConcurrency: sizing.reservedConcurrency + 1 } })).toThrow(
      /LambdaServing: invalid sizing.provisionedConcurrency = \d+; at most sizing.reservedConcurrency/,
    );
  });

  test('a latency objective not below the timeout', () => {
    expect(() => build({ latencyObjective: Duration.seconds(sizing.timeoutSeconds) })).toThrow(
      /invalid latencyObjective = "\d+ ms"; above 0 and below the function timeout/,
    );
  });

  test('an error-rate threshold outside (0, 100]', () => {
    expect(() => build({ errorRateThresholdPercent: 0 })).toThrow(/invalid errorRateThresholdPercent = 0; a percentage above 0 and at most 100/);
    expect(() => build({ errorRateThresholdPercent: 101 })).toThrow(/errorRateThresholdPercent = 101/);
  });
});
