import { CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IQueueAlarms } from '../operations/queue-alarms';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { InvalidPropError } from '../shared/prop-validation';
import { retentionDays } from '../shared/retention';
import { functionCode } from './function-code';
import { createFunctionsKey } from './functions-key';
import { acknowledgeTracingWrites, grantNetworkInterfaces } from './network-interface-permissions';
import type { AsyncFailureHandling, PlatformFunctionProps } from './platform-function-props';
import { acknowledgeStatementWildcards, acknowledgeWildcardAction, acknowledgeWildcardResource } from '../shared/wildcard-findings';

const NAME = 'PlatformFunction';
/** Lambda's limits (API reference: CreateFunction). */
const MEMORY_MB = { min: 128, max: 10_240 };
const MAX_TIMEOUT = Duration.minutes(15);

/**
 * One platform Lambda function, the way every function of the platform is deployed: a minified esbuild bundle (prebuilt
 * in the installed package, bundled from source at synth otherwise; see `functionCode`) on the newest Node.js runtime,
 * in the VPC's private subnets behind an HTTPS-only security group, X-Ray tracing, JSON logs in a KMS-encrypted log
 * group with retention, encrypted environment, reserved concurrency, failed asynchronous invocations kept in an
 * encrypted queue, and a role whose permissions sit in one managed policy.
 */
export class PlatformFunction extends Construct implements iam.IGrantable {
  readonly function: lambda.Function;
  readonly role: ManagedPolicyRole;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly logGroup: logs.LogGroup;
  readonly encryptionKey: kms.IKey;
  /** Failed asynchronous invocations; SQS-triggered functions also send their source queue's poison messages here. */
  readonly deadLetterQueue: sqs.Queue;
  readonly timeout: Duration;
  readonly reservedConcurrentExecutions: number;
  /** The execution role: `bucket.grantRead(fn)` and the other grants land in its one managed policy. */
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? Duration.days(365);
    const asyncFailureHandling = props.asyncFailureHandling ?? 'dead-letter-queue';
    const retryAttempts = props.retryAttempts ?? 2;
    const deadLetterRetention = props.deadLetterRetention ?? Duration.days(14);
    const architecture = props.architecture ?? lambda.Architecture.ARM_64;
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const bundledFiles = props.bundledFiles ?? [];
    const additionalEntryPoints = props.additionalEntryPoints ?? [];
    validate(props, retryAttempts);
    this.timeout = props.timeout;
    this.reservedConcurrentExecutions = props.reservedConcurrentExecutions;

    this.encryptionKey =
      props.encryptionKey ??
      createFunctionsKey(this, 'EncryptionKey', { description: `Encrypts the logs, environment and queues of ${this.node.path}`, removalPolicy });

    this.securityGroup = props.securityGroup ?? this.createSecurityGroup(props.vpc);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.encryptionKey,
      retention: retentionDays(logRetention),
      removalPolicy,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
      removalPolicy,
    });

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });

    this.grantPrincipal = this.role;

    this.function = new lambda.Function(this, 'Function', {
      code: functionCode({ entry: props.entry, bundledFiles, additionalEntryPoints }),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [this.securityGroup],
      environment: props.environment,
      environmentEncryption: this.encryptionKey,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      retryAttempts,
      ...(asyncFailureHandling === 'dead-letter-queue'
        ? { deadLetterQueue: this.deadLetterQueue }
        : { onFailure: new EncryptedQueueDestination(this.deadLetterQueue, this.encryptionKey) }),
    });

    this.logGroup.grantWrite(this.role);
    const subnetIds = props.vpc.selectSubnets(vpcSubnets).subnetIds;
    grantNetworkInterfaces(this.role, subnetIds, [this.securityGroup.securityGroupId]);
    acknowledgeTracingWrites(this.role);
    this.acknowledgeDeadLetterQueue(asyncFailureHandling);
    if (Stack.of(props.vpc) !== Stack.of(this)) {
      acknowledgeFinding(
        this.cfnFunction,
        Rule.lambdaInsideVpcGuard,
        "The function runs in the platform VPC's private subnets with its own security group; the subnet IDs are imported from the " +
          'network stack (Fn::ImportValue), which this rule does not recognise as a subnet reference.',
      );
    }
    if (asyncFailureHandling === 'on-failure-destination') {
      acknowledgeFinding(
        this.cfnFunction,
        Rule.lambdaDlq,
        'Failed asynchronous invocations go to an on-failure destination (an encrypted SQS queue) instead of a DeadLetterConfig: ' +
          'the destination record carries the error and the request context besides the event; a DLQ as well would duplicate every failure.',
      );
    }
  }

  /**
   * Raises this function's alarms through `alerts`: a failure in its dead-letter queue, and one left there too long.
   * Functions with a work queue add its backlog.
   */
  addAlarms(alerts: IQueueAlarms): cloudwatch.Alarm[] {
    return [...alerts.watchDeadLetterQueue(this.deadLetterQueue, `${this.node.id} failures (${Stack.of(this).stackName})`)];
  }

  /** Lets `grantee` invoke the function (lambda:InvokeFunction on it and its versions). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }

  /** Invocations that ended in an error (sum per 5 minutes by default). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /** Invocations refused for lack of concurrency (sum per 5 minutes by default). */
  metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props });
  }

  /** Failures waiting in the dead-letter queue (maximum per 5 minutes by default): what the dead-letter alarm watches. */
  metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5), ...props });
  }

  /** Seconds the oldest failure has waited in the dead-letter queue (maximum per 5 minutes by default). */
  metricDeadLetterAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5), ...props });
  }

  /** The function's own CloudFormation resource (for template assertions and acknowledgments). */
  get cfnFunction(): lambda.CfnFunction {
    return this.function.node.defaultChild as lambda.CfnFunction;
  }

  /**
   * Acknowledges one policy finding on this function's permissions policy, for a grant whose resource pattern cannot
   * be narrower (e.g. objects under a key prefix). Call it where the grant is made, with the reason.
   */
  acknowledgePermission(ruleId: string, reason: string): void {
    acknowledgeFinding(this.permissionsPolicy(), ruleId, reason);
  }

  /**
   * Acknowledges the IAM5 finding of a wildcard resource (e.g. objects under a prefix) in the statements of this
   * function's role that grant on it so far (a later statement with the same wildcard needs its own acknowledgment).
   */
  acknowledgeWildcardResource(resource: string, reason: string): void {
    acknowledgeWildcardResource(this.role, resource, reason);
  }

  /** Acknowledges the IAM5 finding of a wildcard action in the statements of this function's role that hold it so far. */
  acknowledgeWildcardAction(action: string, reason: string): void {
    acknowledgeWildcardAction(this.role, action, reason);
  }

  /** Acknowledges every wildcard of the given statements of this function's role (e.g. a grant's `principalStatements`). */
  acknowledgeStatementWildcards(statements: readonly iam.PolicyStatement[], reason: string): void {
    acknowledgeStatementWildcards(this.role, statements, reason);
  }

  private permissionsPolicy(): CfnResource {
    const policy = this.role.node.tryFindChild('Permissions')?.node.defaultChild;
    if (!(policy instanceof CfnResource)) throw new Error(`${this.node.path} has no permissions policy yet; grant before acknowledging`);
    return policy;
  }

  private acknowledgeDeadLetterQueue(asyncFailureHandling: AsyncFailureHandling): void {
    const queue = this.deadLetterQueue.node.defaultChild as CfnResource;
    acknowledgeFinding(
      queue,
      Rule.sqsDlqGuard,
      'This queue is itself the dead-letter queue of the function: messages stay here (14 days by default) for inspection and redrive; ' +
        'a dead-letter queue behind it would only move the same messages again.',
    );
    if (asyncFailureHandling === 'on-failure-destination') {
      acknowledgeFinding(
        queue,
        Rule.sqsDlqAwsSolutions,
        "This queue is the function's on-failure destination, i.e. its dead-letter queue; SQS does not list a Lambda destination as a " +
          'redrive source, so the rule cannot see that it is one.',
      );
    }
  }

  private createSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `${Stack.of(this).stackName} ${this.node.path}: no inbound; outbound HTTPS to AWS APIs only`,
      allowAllOutbound: false,
    });
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS service endpoints (through NAT or VPC endpoints)');
    return group;
  }
}

function validate(props: PlatformFunctionProps, retryAttempts: number): void {
  if (!Token.isUnresolved(props.memorySize) && (!Number.isInteger(props.memorySize) || props.memorySize < MEMORY_MB.min || props.memorySize > MEMORY_MB.max)) {
    throw new InvalidPropError(NAME, 'memorySize', props.memorySize, `an integer number of MB from ${MEMORY_MB.min} to ${MEMORY_MB.max}`);
  }
  if (props.timeout.toSeconds() < 1 || props.timeout.toSeconds() > MAX_TIMEOUT.toSeconds()) {
    throw new InvalidPropError(NAME, 'timeout', `${props.timeout.toSeconds()} seconds`, 'from 1 second to 15 minutes');
  }
  if (!Number.isInteger(props.reservedConcurrentExecutions) || props.reservedConcurrentExecutions < 1) {
    throw new InvalidPropError(NAME, 'reservedConcurrentExecutions', props.reservedConcurrentExecutions, 'a positive integer (0 would disable the function)');
  }
  if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
    throw new InvalidPropError(NAME, 'retryAttempts', retryAttempts, 'an integer from 0 to 2 (Lambda asynchronous invocation)');
  }
}

/**
 * An on-failure destination on a KMS-encrypted queue with exactly what sending needs: sqs:SendMessage on the queue,
 * kms:GenerateDataKey and kms:Decrypt on its key (SQS Developer Guide, SSE key permissions). CDK's SqsDestination
 * grants the queue's whole encrypt/decrypt action group (kms:ReEncrypt*, kms:GenerateDataKey*) instead.
 */
class EncryptedQueueDestination implements lambda.IDestination {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['sqs:SendMessage'], resourceArns: [this.queue.queueArn] });
    this.key.grant(fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    return { destination: this.queue.queueArn };
  }
}
