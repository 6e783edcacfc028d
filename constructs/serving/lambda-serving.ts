import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { grantNetworkInterfaces } from '../functions/network-interface-permissions';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeLambdaServingFindings } from './lambda-serving-findings';
import type { LambdaServingEndpoint, LambdaServingProps } from './lambda-serving-props';
import { createErrorRateAlarm, createLatencyAlarm, routeServingAlarms, validateErrorRateThresholdPercent } from './serving-alarms';
import { SERVED_MODEL_VERSION_VARIABLE } from '../../lib/rollout';
import { servedVersionReference } from './served-version-pin';
import { SERVING_CONTAINER } from './serving-image';
import { createServingLogGroup, resolveLogKey } from './serving-logs';
import { captureEnabled, captureEnvironment, grantCaptureWrite } from './inference-capture';
import { SERVING_EMF } from '../../serving/src/metric-names';
import { platformMetric } from '../operations/emitted-metrics';
import { DEFAULT_ERROR_RATE_THRESHOLD_PERCENT } from '../../lib/monitoring/serving-signals';

const ALIAS_NAME = 'live';

/**
 * A model served by AWS Lambda: the serving image as a container function in the VPC's private subnets, a `live`
 * alias (with provisioned concurrency when the decision priced it) that CodeDeploy shifts by canary and rolls back on
 * error-rate or latency alarms, and an IAM-authenticated Function URL or HTTP API in front of the alias.
 */
export class LambdaServing extends Construct {
  // The Lambda adapter's own EMF figures are static: they carry the `service` and `model` dimensions, not the
  // function's name, so an alarm or a dashboard on them needs no reference to the function.

  /** Versions of `modelName` that failed to load (the previous one keeps serving); sum per 5 minutes by default. */
  static metricModelLoadFailures(modelName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return servingEmfMetric(SERVING_EMF.metrics.modelLoadFailures, { [SERVING_EMF.dimensions.model]: modelName }, props);
  }

  /** Requests to `modelName` answered with HTTP `status` (`'200'`, `'400'`, ...); sum per 5 minutes by default. */
  static metricRequests(modelName: string, status: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return servingEmfMetric(SERVING_EMF.metrics.requests, { [SERVING_EMF.dimensions.model]: modelName, [SERVING_EMF.dimensions.status]: status }, props);
  }

  /** Milliseconds of inference per request to `modelName`, inside the function; average per 5 minutes by default. */
  static metricRequestLatency(modelName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return servingEmfMetric(
      SERVING_EMF.metrics.requestLatency,
      { [SERVING_EMF.dimensions.model]: modelName },
      { statistic: cloudwatch.Stats.AVERAGE, ...props },
    );
  }

  /** Milliseconds a request to `modelName` waited for its batch; average per 5 minutes by default. */
  static metricQueueTime(modelName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return servingEmfMetric(SERVING_EMF.metrics.queueTime, { [SERVING_EMF.dimensions.model]: modelName }, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** Rows per inference run of `modelName`; average per 5 minutes by default. */
  static metricBatchSize(modelName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return servingEmfMetric(SERVING_EMF.metrics.batchSize, { [SERVING_EMF.dimensions.model]: modelName }, { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  readonly function: lambda.DockerImageFunction;
  readonly alias: lambda.Alias;
  readonly role: ManagedPolicyRole;
  readonly securityGroup: ec2.SecurityGroup;
  readonly encryptionKey: kms.IKey;
  readonly logGroup: logs.LogGroup;
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  readonly errorRateAlarm: cloudwatch.Alarm;
  readonly latencyAlarm: cloudwatch.Alarm;
  readonly endpoint: LambdaServingEndpoint;
  /** Set when `endpoint` is `function-url`. */
  readonly functionUrl?: lambda.FunctionUrl;
  /** Set when `endpoint` is `http-api`. */
  readonly httpApi?: apigwv2.HttpApi;
  /** The base URL callers sign requests to (SigV4). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LambdaServingProps) {
    super(scope, id);
    const { sizing } = props;
    this.endpoint = props.endpoint ?? 'function-url';
    const timeout = Duration.seconds(sizing.timeoutSeconds);
    const latencyObjective = props.latencyObjective ?? Duration.millis(Math.floor(timeout.toMilliseconds() * 0.8));
    const errorRateThresholdPercent = props.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT;
    const deploymentConfig = props.deploymentConfig ?? codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;
    const logRetention = props.logRetention ?? Duration.days(365);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    validateLambdaServingProps(props, latencyObjective, timeout, errorRateThresholdPercent);
    const capture = captureEnabled('LambdaServing', props.capture) ? props.capture : undefined;

    this.encryptionKey = resolveLogKey(this, props.encryptionKey, `Encrypts the logs of the ${props.modelName} Lambda serving function`, removalPolicy);
    this.logGroup = createServingLogGroup(this, 'Logs', { encryptionKey: this.encryptionKey, retention: logRetention, removalPolicy });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.modelName} Lambda serving: no inbound; outbound HTTPS only (S3 model reads, X-Ray, CloudWatch)`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (S3 through the gateway endpoint)');

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.modelName} Lambda serving function: reads the model repository, writes its log group`,
    });
    // Lambda creates and deletes the function's network interfaces with these permissions, scoped to its subnets and
    // security group (AWSLambdaVPCAccessExecutionRole would allow them anywhere). Granted before the function exists.
    const subnetIds = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    grantNetworkInterfaces(this.role, subnetIds, [this.securityGroup.securityGroupId]);

    this.function = new lambda.DockerImageFunction(this, 'Function', {
      functionName: props.functionName,
      description: `Serves the ${props.modelName} model (Open Inference Protocol) from the model repository`,
      code: lambda.DockerImageCode.fromEcr(props.image.repository, {
        tagOrDigest: props.image.imageTag,
        entrypoint: [...SERVING_CONTAINER.lambdaEntrypoint],
        cmd: [...SERVING_CONTAINER.lambdaCommand],
      }),
      architecture: sizing.architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
      memorySize: sizing.memoryMb,
      timeout,
      reservedConcurrentExecutions: sizing.reservedConcurrency,
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        MODEL_REPOSITORY: props.modelRepository.repositoryUri,
        SERVED_MODELS: props.modelName,
        // The first invocation scans the repository; later ones re-scan at this interval (pinned: until the pinned version is there).
        MODEL_POLL_INTERVAL_SECONDS: '60',
        ...(props.servedVersionParameterName !== undefined && { [SERVED_MODEL_VERSION_VARIABLE]: servedVersionReference(props.servedVersionParameterName) }),
        ...(capture && captureEnvironment(props.modelName, capture)),
      },
    });
    props.modelRepository.grantRead(this.role);
    if (capture) grantCaptureWrite(this.role, props.modelName, capture);

    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: ALIAS_NAME,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: sizing.provisionedConcurrency > 0 ? sizing.provisionedConcurrency : undefined,
      description: `Traffic of the ${props.modelName} model; CodeDeploy shifts it between versions`,
    });

    this.errorRateAlarm = createErrorRateAlarm(this, 'ErrorRateAlarm', {
      errors: this.metricErrors(),
      requests: this.metricInvocations(),
      requestsName: 'invocations',
      thresholdPercent: errorRateThresholdPercent,
      alarmDescription: `${props.modelName}: more than ${errorRateThresholdPercent}% of live-alias invocations failed; rolls back a canary deployment`,
    });
    this.latencyAlarm = createLatencyAlarm(this, 'LatencyAlarm', {
      latency: this.metricDuration(),
      latencyUnit: 'milliseconds',
      objective: latencyObjective,
      alarmDescription: `${props.modelName}: p99 duration of the live alias above ${latencyObjective.toMilliseconds()} ms; rolls back a canary deployment`,
    });

    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'Deployment', {
      alias: this.alias,
      deploymentConfig,
      alarms: [this.errorRateAlarm, this.latencyAlarm],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });

    if (this.endpoint === 'function-url') {
      this.functionUrl = this.alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
      this.url = this.functionUrl.url;
    } else {
      this.httpApi = this.createHttpApi(props.modelName, logRetention, removalPolicy);
      this.url = this.httpApi.apiEndpoint;
    }
    routeServingAlarms([this.errorRateAlarm, this.latencyAlarm], props.alarmAction, 'the CodeDeploy deployment group (automatic rollback of a canary)');
    acknowledgeLambdaServingFindings(this, props.modelRepository);
  }

  /** Invocations of the live alias that ended in an error (AWS/Lambda `Errors`; sum per 5 minutes by default): the error-rate alarm's numerator. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricErrors(props);
  }

  /** Invocations of the live alias (AWS/Lambda `Invocations`; sum per 5 minutes by default): the error-rate alarm's denominator. */
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricInvocations(props);
  }

  /** Milliseconds per invocation of the live alias (AWS/Lambda `Duration`; average per 5 minutes by default): the latency alarm reads its p99. */
  metricDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricDuration(props);
  }

  /** Invocations of the live alias refused for lack of concurrency (AWS/Lambda `Throttles`; sum per 5 minutes by default). */
  metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.alias.metricThrottles(props);
  }

  /** Lets a caller invoke the model through the endpoint (SigV4-signed requests). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    if (this.functionUrl) return this.alias.grantInvokeUrl(grantee);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.httpApi!.arnForExecuteApi()],
    });
  }

  private createHttpApi(modelName: string, logRetention: Duration, removalPolicy: RemovalPolicy): apigwv2.HttpApi {
    const accessLogs = createServingLogGroup(this, 'ApiAccessLogs', { encryptionKey: this.encryptionKey, retention: logRetention, removalPolicy });
    const api = new apigwv2.HttpApi(this, 'HttpApi', {
      description: `Open Inference Protocol endpoint of the ${modelName} model (IAM auth)`,
      defaultIntegration: new HttpLambdaIntegration('Live', this.alias, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 }),
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    new apigwv2.HttpStage(this, 'HttpApiStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
    });
    return api;
  }
}

function validateLambdaServingProps(props: LambdaServingProps, latencyObjective: Duration, timeout: Duration, errorRate: number): void {
  const { sizing } = props;
  if (sizing.provisionedConcurrency > sizing.reservedConcurrency) {
    throw new InvalidPropError(
      'LambdaServing',
      'sizing.provisionedConcurrency',
      sizing.provisionedConcurrency,
      `at most sizing.reservedConcurrency (${sizing.reservedConcurrency}): provisioned environments count against the reserved ones`,
    );
  }
  if (latencyObjective.toMilliseconds() <= 0 || latencyObjective.toMilliseconds() >= timeout.toMilliseconds()) {
    throw new InvalidPropError(
      'LambdaServing',
      'latencyObjective',
      `${latencyObjective.toMilliseconds()} ms`,
      `above 0 and below the function timeout (${timeout.toMilliseconds()} ms)`,
    );
  }
  validateErrorRateThresholdPercent('LambdaServing', errorRate);
}

function servingEmfMetric(metricName: string, dimensions: Record<string, string>, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const options = { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props };
  return platformMetric({ namespace: SERVING_EMF.namespace, service: SERVING_EMF.service, metricName }, dimensions, options);
}
