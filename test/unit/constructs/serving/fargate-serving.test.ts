import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { startupAllowanceSeconds } from '../../../../lib/decision';
import { buildFargateServing, servingFixture, sizingFor, STEADY_PROFILE } from './fixtures/serving-fixture';

const build = buildFargateServing;

function containers(template: Template): Array<Record<string, any>> {
  const taskDefinition = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
  return taskDefinition.Properties.ContainerDefinitions;
}

function loadBalancerAttributes(template: Template): Record<string, string> {
  const lb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
  return Object.fromEntries((lb.Properties.LoadBalancerAttributes as Array<{ Key: string; Value: unknown }>).map((a) => [a.Key, a.Value as string]));
}

describe('FargateServing defaults', () => {
  const sizing = sizingFor('fargate', STEADY_PROFILE);
  const { stack, serving } = build();
  const template = Template.fromStack(stack);

  test('a cluster with Container Insights', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('task size, container shares and architecture from the decision', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: String(sizing.taskCpuUnits),
      Memory: String(sizing.taskMemoryMiB),
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      NetworkMode: 'awsvpc',
    });
    const [app, collector] = containers(template);
    expect(app).toMatchObject({ Cpu: sizing.appCpuUnits, Memory: sizing.appMemoryMiB });
    expect(collector).toMatchObject({ Cpu: sizing.sidecarCpuUnits, Memory: sizing.sidecarMemoryMiB });
  });

  test('both containers: non-root, read-only root filesystem with a task-local /tmp, logs to the encrypted log group', () => {
    for (const container of containers(template)) {
      expect(container.ReadonlyRootFilesystem).toBe(true);
      expect(container.User).toMatch(/^[1-9]\d*$/);
      expect(container.MountPoints).toEqual([{ ContainerPath: '/tmp', SourceVolume: 'scratch', ReadOnly: false }]);
      expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
  });

  test('the serving container listens on 8080 on all interfaces and drains before ECS kills it', () => {
    const [app] = containers(template);
    expect(app.PortMappings).toEqual([{ ContainerPort: 8080, Protocol: 'tcp' }]);
    expect(app.Essential).toBe(true);
    expect(app.StopTimeout).toBe(30);
    const environment = Object.fromEntries((app.Environment as Array<{ Name: string; Value: unknown }>).map((e) => [e.Name, e.Value]));
    expect(environment).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', DRAIN_TIMEOUT_SECONDS: '25', SERVED_MODELS: 'churn-classifier' });
    expect(environment.MODEL_REPOSITORY).toBeDefined();
  });

  test("an ADOT collector sidecar scrapes /metrics on localhost:8080 (container labels honored) and remote-writes to the environment's workspace with SigV4", () => {
    const collector = containers(template)[1];
    expect(collector.Image).toBe('public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0');
    expect(collector.Essential).toBe(false);
    const config = JSON.stringify(stack.resolve(collector.Environment));
    expect(config).toContain('AOT_CONFIG_CONTENT');
    for (const fragment of ['localhost:8080', '/metrics', 'prometheusremotewrite', 'sigv4auth', 'api/v1/remote_write', 'churn-classifier']) {
      expect(config).toContain(fragment);
    }
    expect(config).toContain('ws-env/api/v1/remote_write');
    expect(config).toMatch(/honor_labels\\*":true/);
    template.resourceCountIs('AWS::APS::Workspace', 0);
    expect(serving.prometheusWorkspace.workspaceArn).toBe('arn:aws:aps:us-east-1:111111111111:workspace/ws-env');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'aps:RemoteWrite', Resource: 'arn:aws:aps:us-east-1:111111111111:workspace/ws-env' })]),
      },
    });
  });

  test('no DesiredCount beside autoscaling (an update would reset the running count); min/max tasks from the decision', () => {
    const service = Object.values(template.findResources('AWS::ECS::Service'))[0];
    expect(service.Properties).not.toHaveProperty('DesiredCount');
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: sizing.minTasks, MaxCapacity: sizing.maxTasks });
  });

  test('health-check grace and the container start period are sized from the serving container memory (30 s + 1 s per 25 MiB)', () => {
    const expected = startupAllowanceSeconds(sizing.appMemoryMiB);
    expect(expected).toBe(Math.ceil((30 + sizing.appMemoryMiB / 25) / 10) * 10);
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: expected });
    expect(containers(template)[0].HealthCheck).toMatchObject({
      Command: ['CMD', 'node', '-e', expect.stringContaining('/v2/health/live')],
      StartPeriod: Math.min(300, expected),
      Interval: 10,
      Retries: 3,
    });
  });

  test('the service: private subnets, no public IP, circuit breaker with rollback', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: Match.anyValue() } },
    });
    const service = Object.values(template.findResources('AWS::ECS::Service'))[0];
    for (const subnet of service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets) expect(subnet.Ref).toMatch(/PrivateSubnet/);
  });

  test('an internal load balancer that drops invalid headers, logs access to S3 and is deletion-protected', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Type: 'application' });
    const attributes = loadBalancerAttributes(template);
    expect(attributes).toMatchObject({
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.prefix': 'churn-classifier',
      'deletion_protection.enabled': 'true',
      'routing.http.desync_mitigation_mode': 'defensive',
    });
  });

  test('the access-log bucket uses SSE-S3 (load balancer log delivery needs it) and lets the log delivery principals write', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { LogFilePrefix: 'load-balancer-logs/' },
    });
    const policies = JSON.stringify(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toContain('logdelivery.elasticloadbalancing.amazonaws.com');
    expect(policies).toContain('churn-classifier/AWSLogs/');
  });

  test('an HTTP listener on 80 open only to the clients security group; tasks reachable only from the load balancer', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 80,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ClientSecurityGroup'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8080,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('LoadBalancerSecurityGroup'), 'GroupId'] },
    });
    expect(serving.clientSecurityGroup).toBeDefined();
    expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroup'))).not.toContain('"CidrIp":"0.0.0.0/0","Description":"Model clients"');
  });

  test('health checks on /v2/health/ready, deregistration longer than the drain timeout', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      TargetType: 'ip',
      HealthCheckPath: '/v2/health/ready',
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  test('target tracking on requests per task and on CPU, between min and max tasks from the decision', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: sizing.minTasks, MaxCapacity: sizing.maxTasks });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: sizing.targetRequestsPerTaskPerMinute,
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: sizing.targetCpuUtilizationPercent,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      }),
    });
  });

  test('no inline policies: task and execution roles keep their grants in customer-managed policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});

describe('FargateServing custom props', () => {
  test('internet-facing with a certificate: public subnets, HTTPS on 443 with a TLS 1.2+ policy, open to any IPv4', () => {
    const fixture = servingFixture();
    const certificate = acm.Certificate.fromCertificateArn(fixture.stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const { serving } = build({ internetFacing: true, certificate }, fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443 })],
    });
    expect(serving.clientSecurityGroup).toBeUndefined();
    expect(serving.url).toMatch(/^https:\/\//);
  });

  test('another workspace, clients, access-log bucket, scrape interval, no deletion protection and DESTROY', () => {
    const fixture = servingFixture();
    const bucket = fixture.modelRepository.accessLogsBucket;
    build(
      {
        prometheusWorkspace: {
          workspaceArn: 'arn:aws:aps:us-east-1:111111111111:workspace/ws-shared',
          remoteWriteUrl: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-shared/api/v1/remote_write',
        },
        allowedClients: ec2.Peer.ipv4('10.1.0.0/16'),
        accessLogsBucket: bucket,
        scrapeIntervalSeconds: 30,
        deletionProtection: false,
        logRetention: Duration.days(30),
        removalPolicy: RemovalPolicy.DESTROY,
        startupAllowance: Duration.minutes(10),
      },
      fixture,
    );
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 600 });
    expect(containers(template)[0].HealthCheck.StartPeriod).toBe(300);
    template.resourceCountIs('AWS::APS::Workspace', 0);
    const collector = containers(template)[1];
    const config = JSON.stringify(fixture.stack.resolve(collector.Environment));
    expect(config).toContain('ws-shared/api/v1/remote_write');
    expect(config).toContain('30s');
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 80 })] });
    expect(loadBalancerAttributes(template)['deletion_protection.enabled']).toBe('false');
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
    // Only the model repository's own buckets: no access-log bucket of the service's own.
    template.resourceCountIs('AWS::S3::Bucket', 2);
  });
});

describe('FargateServing validation', () => {
  const sizing = sizingFor('fargate', STEADY_PROFILE);

  test('internet-facing without a certificate', () => {
    expect(() => build({ internetFacing: true })).toThrow(/FargateServing: invalid internetFacing = true; only together with certificate/);
  });

  test('min tasks above max tasks, or below one', () => {
    expect(() => build({ sizing: { ...sizing, minTasks: sizing.maxTasks + 1 } })).toThrow(
      /invalid sizing.minTasks = \d+; at least 1 and at most sizing.maxTasks/,
    );
    expect(() => build({ sizing: { ...sizing, minTasks: 0 } })).toThrow(/invalid sizing.minTasks = 0/);
  });

  test('containers that do not fit the task', () => {
    expect(() => build({ sizing: { ...sizing, appCpuUnits: sizing.taskCpuUnits } })).toThrow(
      /invalid sizing.appCpuUnits = \d+; at most sizing.taskCpuUnits - sizing.sidecarCpuUnits/,
    );
    expect(() => build({ sizing: { ...sizing, appMemoryMiB: sizing.taskMemoryMiB } })).toThrow(
      /invalid sizing.appMemoryMiB = \d+; at most sizing.taskMemoryMiB - sizing.sidecarMemoryMiB/,
    );
  });

  test('a startup allowance that is not a whole number of seconds', () => {
    expect(() => build({ startupAllowance: Duration.millis(1500) })).toThrow(/invalid startupAllowance = "1.5 s"; a whole number of seconds, at least 1/);
  });

  test('a scrape interval that is not a whole number of seconds', () => {
    expect(() => build({ scrapeIntervalSeconds: 0.5 })).toThrow(/invalid scrapeIntervalSeconds = 0.5; a whole number of seconds, at least 1/);
  });
});
