import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { startupAllowanceSeconds } from '../../lib/decision';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { createSecureBucket, housekeepingRule } from '../shared/secure-bucket';
import { adotCollectorConfig } from './adot-collector-config';
import { captureEnabled, captureEnvironment, grantCaptureWrite } from './inference-capture';
import { acknowledgeFargateServingFindings } from './fargate-serving-findings';
import { DEFAULT_COLLECTOR_IMAGE, type FargateServingProps, LOAD_BALANCER_IDLE_TIMEOUT } from './fargate-serving-props';
import { enableLoadBalancerAccessLogs } from './load-balancer-access-logs';
import type { PrometheusWorkspace } from './prometheus-workspace';
import { createErrorRateAlarm, createLatencyAlarm, routeServingAlarms } from './serving-alarms';
import { SERVED_MODEL_VERSION_VARIABLE } from '../../lib/rollout';
import { servedVersionReference } from './served-version-pin';
import { SERVING_CONTAINER } from './serving-image';
import { createServingLogGroup, resolveLogKey } from './serving-logs';
import { validateFargateServingProps } from './validate-fargate-serving-props';
import { DEFAULT_ERROR_RATE_THRESHOLD_PERCENT } from '../../lib/monitoring/serving-signals';

/** The serving container's name in the task definition; the rollout function finds the pin there. */
export const SERVING_CONTAINER_NAME = 'Serving';
const SCRATCH_VOLUME = 'scratch';
/** The non-root user the ADOT collector image is built with. */
const COLLECTOR_USER = '10001';

/**
 * A model served by ECS on Fargate: tasks in the VPC's private subnets behind an internal Application Load Balancer
 * (internet-facing only with HTTPS), autoscaled on requests per task and CPU, deployed with a circuit breaker and
 * error-rate and latency alarms that roll back, with an ADOT collector sidecar that remote-writes the container's
 * Prometheus metrics to the environment's Amazon Managed Prometheus workspace.
 */
export class FargateServing extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly servingContainer: ecs.ContainerDefinition;
  readonly collectorContainer: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly scaling: ecs.ScalableTaskCount;
  /** Share of requests answered with a 5XX by the tasks; rolls back an ECS deployment. */
  readonly errorRateAlarm: cloudwatch.Alarm;
  /** p99 target response time above the latency objective; rolls back an ECS deployment. */
  readonly latencyAlarm: cloudwatch.Alarm;
  readonly taskRole: ManagedPolicyRole;
  readonly executionRole: ManagedPolicyRole;
  readonly serviceSecurityGroup: ec2.SecurityGroup;
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Callers that attach this security group may reach the load balancer; absent when `allowedClients` was given. */
  readonly clientSecurityGroup?: ec2.SecurityGroup;
  readonly encryptionKey: kms.IKey;
  readonly logGroup: logs.LogGroup;
  readonly accessLogsBucket: s3.IBucket;
  readonly prometheusWorkspace: PrometheusWorkspace;
  /** `http://` (internal, no certificate) or `https://` URL of the load balancer. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: FargateServingProps) {
    super(scope, id);
    const { sizing, modelName } = props;
    const internetFacing = props.internetFacing ?? false;
    const collectorImage = props.collectorImage ?? ecs.ContainerImage.fromRegistry(DEFAULT_COLLECTOR_IMAGE);
    const scrapeIntervalSeconds = props.scrapeIntervalSeconds ?? 15;
    const logRetention = props.logRetention ?? Duration.days(365);
    const deletionProtection = props.deletionProtection ?? true;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const latencyObjective = props.latencyObjective ?? Duration.seconds(1);
    const errorRateThresholdPercent = props.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT;
    const startupAllowance = props.startupAllowance ?? Duration.seconds(startupAllowanceSeconds(sizing.appMemoryMiB));
    validateFargateServingProps(props, { scrapeIntervalSeconds, latencyObjective, errorRateThresholdPercent, startupAllowance });
    const capture = captureEnabled('FargateServing', props.capture) ? props.capture : undefined;

    this.encryptionKey = resolveLogKey(this, props.encryptionKey, `Encrypts the logs of the ${modelName} Fargate serving service`, removalPolicy);
    this.logGroup = createServingLogGroup(this, 'Logs', { encryptionKey: this.encryptionKey, retention: logRetention, removalPolicy });
    this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket(removalPolicy);
    this.prometheusWorkspace = props.prometheusWorkspace;

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.taskRole = new ManagedPolicyRole(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `${modelName} serving tasks: read the model repository, remote-write metrics to Amazon Managed Prometheus`,
    });
    this.executionRole = new ManagedPolicyRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `ECS agent for the ${modelName} serving tasks: pulls the images, writes the log group`,
    });
    props.modelRepository.grantRead(this.taskRole);
    if (capture) grantCaptureWrite(this.taskRole, modelName, capture);
    this.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['aps:RemoteWrite'], resources: [this.prometheusWorkspace.workspaceArn] }));

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: sizing.taskCpuUnits,
      memoryLimitMiB: sizing.taskMemoryMiB,
      runtimePlatform: {
        cpuArchitecture: sizing.architecture === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      // Task-local scratch space, so both containers can keep a read-only root filesystem.
      volumes: [{ name: SCRATCH_VOLUME }],
    });

    this.servingContainer = this.taskDefinition.addContainer(SERVING_CONTAINER_NAME, {
      image: ecs.ContainerImage.fromEcrRepository(props.image.repository, props.image.imageTag),
      cpu: sizing.appCpuUnits,
      memoryLimitMiB: sizing.appMemoryMiB,
      essential: true,
      readonlyRootFilesystem: true,
      user: SERVING_CONTAINER.user,
      portMappings: [{ containerPort: SERVING_CONTAINER.port, protocol: ecs.Protocol.TCP }],
      environment: {
        MODEL_REPOSITORY: props.modelRepository.repositoryUri,
        SERVED_MODELS: props.modelName,
        HOST: '0.0.0.0',
        PORT: String(SERVING_CONTAINER.port),
        DRAIN_TIMEOUT_SECONDS: String(SERVING_CONTAINER.drainTimeoutSeconds),
        ...(props.servedVersionParameterName !== undefined && { [SERVED_MODEL_VERSION_VARIABLE]: servedVersionReference(props.servedVersionParameterName) }),
        ...(capture && captureEnvironment(modelName, capture)),
      },
      // ECS waits this long after SIGTERM before SIGKILL: the server's drain timeout plus a margin.
      stopTimeout: Duration.seconds(SERVING_CONTAINER.drainTimeoutSeconds + 5),
      // Liveness only: a live server still loading its model is not restarted; readiness is the load balancer's check.
      healthCheck: {
        command: ['CMD', ...SERVING_CONTAINER.livenessCommand],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        // ECS accepts at most 300 s; the service's grace period below covers the rest of a long load.
        startPeriod: Duration.seconds(Math.min(300, startupAllowance.toSeconds())),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'serving' }),
    });
    this.collectorContainer = this.taskDefinition.addContainer('MetricsCollector', {
      image: collectorImage,
      cpu: sizing.sidecarCpuUnits,
      memoryLimitMiB: sizing.sidecarMemoryMiB,
      // Losing metrics must not take the model down: the collector restarts with the task, never stops it.
      essential: false,
      readonlyRootFilesystem: true,
      user: COLLECTOR_USER,
      environment: {
        AOT_CONFIG_CONTENT: Stack.of(this).toJsonString(
          adotCollectorConfig({
            modelName,
            remoteWriteUrl: this.prometheusWorkspace.remoteWriteUrl,
            region: Stack.of(this).region,
            scrapeIntervalSeconds,
          }),
        ),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'collector' }),
    });
    for (const container of [this.servingContainer, this.collectorContainer]) {
      container.addMountPoints({ containerPath: '/tmp', sourceVolume: SCRATCH_VOLUME, readOnly: false });
    }

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: `${modelName} serving tasks: inbound only from the load balancer; outbound HTTPS (S3, ECR, Prometheus, logs)`,
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (S3 through the gateway endpoint)');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.serviceSecurityGroup],
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      // Load balancer health checks do not count against new tasks while they load their model.
      healthCheckGracePeriod: startupAllowance,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });

    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: `${modelName} serving load balancer: inbound from the allowed clients on the listener port, outbound to the tasks`,
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing,
      vpcSubnets: { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroup: this.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
      deletionProtection,
      idleTimeout: LOAD_BALANCER_IDLE_TIMEOUT,
    });
    enableLoadBalancerAccessLogs(this.loadBalancer, this.accessLogsBucket, modelName);

    const https = props.certificate !== undefined;
    const listenerPort = https ? 443 : 80;
    this.listener = https
      ? this.loadBalancer.addListener('Https', {
          port: 443,
          protocol: elbv2.ApplicationProtocol.HTTPS,
          certificates: [props.certificate],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          open: false,
        })
      : this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    if (!props.allowedClients && !internetFacing) {
      this.clientSecurityGroup = new ec2.SecurityGroup(this, 'ClientSecurityGroup', {
        vpc: props.vpc,
        description: `Workloads that call the ${modelName} model: attach this group to reach its load balancer`,
        allowAllOutbound: false,
      });
    }
    const allowedClients = props.allowedClients ?? this.clientSecurityGroup ?? ec2.Peer.anyIpv4();
    this.loadBalancerSecurityGroup.addIngressRule(allowedClients, ec2.Port.tcp(listenerPort), 'Model clients');

    this.targetGroup = this.listener.addTargets('Serving', {
      port: SERVING_CONTAINER.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: SERVING_CONTAINER_NAME, containerPort: SERVING_CONTAINER.port })],
      healthCheck: {
        path: SERVING_CONTAINER.readinessPath,
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      // Longer than the server's drain timeout, so in-flight requests finish before the target is gone.
      deregistrationDelay: Duration.seconds(SERVING_CONTAINER.drainTimeoutSeconds + 5),
    });

    // No DesiredCount next to autoscaling: CloudFormation would reset the running count to it on every update of the
    // service. ECS starts a new service with one task and Application Auto Scaling raises it to minTasks at once.
    (this.service.node.defaultChild as ecs.CfnService).addPropertyDeletionOverride('DesiredCount');
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: sizing.minTasks, maxCapacity: sizing.maxTasks });
    this.scaling.scaleOnRequestCount('RequestsPerTask', {
      requestsPerTarget: sizing.targetRequestsPerTaskPerMinute,
      targetGroup: this.targetGroup,
    });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: sizing.targetCpuUtilizationPercent });

    // Physical names: the service names its deployment alarms, and a Ref to them would make CDK warn of a possible cycle.
    const alarmNamePrefix = Names.uniqueResourceName(this, { maxLength: 200, separator: '-' });
    const alarmNames = { errorRate: `${alarmNamePrefix}-error-rate`, latency: `${alarmNamePrefix}-p99-latency` };
    this.errorRateAlarm = createErrorRateAlarm(this, 'ErrorRateAlarm', {
      alarmName: alarmNames.errorRate,
      errors: this.metricTarget5xxCount(),
      requests: this.metricRequestCount(),
      thresholdPercent: errorRateThresholdPercent,
      alarmDescription: `${modelName}: more than ${errorRateThresholdPercent}% of requests answered with a 5XX by the serving tasks; rolls back an ECS deployment`,
    });
    this.latencyAlarm = createLatencyAlarm(this, 'LatencyAlarm', {
      alarmName: alarmNames.latency,
      latency: this.metricTargetResponseTime(),
      latencyUnit: 'seconds',
      objective: latencyObjective,
      alarmDescription: `${modelName}: p99 target response time above ${latencyObjective.toMilliseconds()} ms; rolls back an ECS deployment`,
    });
    this.service.enableDeploymentAlarms([alarmNames.errorRate, alarmNames.latency], {
      behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
    });
    routeServingAlarms(
      [this.errorRateAlarm, this.latencyAlarm],
      props.alarmAction,
      'the ECS service deployment alarms (automatic rollback of a rolling deployment)',
    );

    this.url = `${https ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
    acknowledgeFargateServingFindings(this, props.modelRepository, { https, internetFacing, deletionProtection });
  }

  /** Requests the serving tasks answered with a 5XX (AWS/ApplicationELB `HTTPCode_Target_5XX_Count`; sum per 5 minutes by default): the error-rate alarm's numerator. */
  metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, props);
  }

  /** Requests routed to the serving tasks (AWS/ApplicationELB `RequestCount`; sum per 5 minutes by default): the error-rate alarm's denominator. */
  metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCount(props);
  }

  /** Seconds from the load balancer sending a request to a task's answer (AWS/ApplicationELB `TargetResponseTime`; average per 5 minutes by default): the latency alarm reads its p99. */
  metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime(props);
  }

  /** Serving tasks the load balancer's health checks find healthy (AWS/ApplicationELB `HealthyHostCount`; average per 5 minutes by default). */
  metricHealthyTaskCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.healthyHostCount(props);
  }

  private createAccessLogsBucket(removalPolicy: RemovalPolicy): s3.IBucket {
    const common = { removalPolicy, autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY };
    const serverAccessLogs = createSecureBucket(this, 'AccessLogsBucketLogs', {
      ...common,
      lifecycleRules: [housekeepingRule(Duration.days(30), Duration.days(7)), { id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    return createSecureBucket(this, 'AccessLogsBucket', {
      ...common,
      serverAccessLogsBucket: serverAccessLogs,
      serverAccessLogsPrefix: 'load-balancer-logs/',
      lifecycleRules: [housekeepingRule(Duration.days(30), Duration.days(7)), { id: 'expire-load-balancer-logs', expiration: Duration.days(365) }],
      sseS3LogDeliveryReason:
        'This bucket only receives Application Load Balancer access logs, and load balancer log delivery supports only SSE-S3 ' +
        '(AES-256) on the target bucket; it holds no platform data.',
    });
  }
}
