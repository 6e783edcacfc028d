import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { createPlatformKey } from '../shared/platform-key';
import { InvalidPropError } from '../shared/prop-validation';
import type { OperationsAlertsProps } from './operations-alerts-props';
import type { IQueueAlarms } from './queue-alarms';

const NAME = 'OperationsAlerts';
const FIVE_MINUTE_MAXIMUM = { period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM };

interface WatchAlarmOptions {
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
}

// Deliberately loose: SNS itself rejects what it cannot deliver to; this catches typos such as a missing '@'.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Where an environment's alarms go: one SNS topic, encrypted with its own key, that only CloudWatch alarms of this
 * account and region may publish to, with optional email subscribers. `watchDeadLetterQueue` raises an alarm as soon
 * as a failure lands in a dead-letter queue, so a failed event or object is looked at, not forgotten; `watchBacklog`
 * raises one when a consumer falls behind its work queue.
 */
export class OperationsAlerts extends Construct implements IQueueAlarms {
  readonly topic: sns.Topic;
  readonly encryptionKey: kms.Key;
  /** Pass to alarms (and to constructs taking an `alarmAction`) to notify the topic. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  private readonly deadLetterAgeThreshold: Duration;
  private readonly watched: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlertsProps = {}) {
    super(scope, id);
    const emails = props.emailSubscribers ?? [];
    for (const email of emails) {
      if (!EMAIL.test(email)) throw new InvalidPropError(NAME, 'emailSubscribers', email, 'email addresses such as oncall@example.com');
    }
    this.deadLetterAgeThreshold = props.deadLetterAgeThreshold ?? Duration.days(1);
    if (this.deadLetterAgeThreshold.toSeconds() < 300) {
      throw new InvalidPropError(NAME, 'deadLetterAgeThreshold', this.deadLetterAgeThreshold.toHumanString(), 'at least 5 minutes (one alarm period)');
    }

    const stack = Stack.of(this);
    this.encryptionKey = createPlatformKey(this, 'Key', {
      description: `Encrypts the ${stack.stackName} alert topic`,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${stack.stackName} alerts`,
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    this.allowCloudWatchAlarms(stack);
    for (const email of emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.alarmAction = new cloudwatchActions.SnsAction(this.topic);
  }

  /**
   * Lets the alert manager of one Amazon Managed Service for Prometheus workspace publish to the topic: the service
   * principal `aps.amazonaws.com`, only for that workspace of this account (confused deputy). The key statement names
   * workspaces of this account and region by pattern: the workspace refers to the topic, which refers to the key, so
   * the key policy cannot name the workspace itself; the key alone lets no other workspace publish.
   */
  allowPrometheusAlerts(workspaceArn: string): void {
    const stack = Stack.of(this);
    const principal = new iam.ServicePrincipal('aps.amazonaws.com');
    const account = { 'aws:SourceAccount': stack.account };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PrometheusAlertManagerOfThisWorkspacePublish',
        principals: [principal],
        actions: ['sns:Publish', 'sns:GetTopicAttributes'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: account, ArnEquals: { 'aws:SourceArn': workspaceArn } },
      }),
    );
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PrometheusAlertManagersOfThisAccountEncrypt',
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: account,
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'aps', resource: 'workspace', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
        },
      }),
    );
  }

  /** Alarms created by the `watch*` methods, in creation order. */
  get alarms(): readonly cloudwatch.Alarm[] {
    return this.watched;
  }

  /**
   * Two alarms on a dead-letter queue: any visible message (a failure needs a look), and the oldest message older than
   * `deadLetterAgeThreshold` (a failure is still unhandled). The alarms are created beside the queue, in its stack, so
   * only the topic's ARN crosses stacks and the queue stays free to change.
   */
  watchDeadLetterQueue(queue: sqs.IQueue, description: string): readonly cloudwatch.Alarm[] {
    return [
      this.queueAlarm(queue, 'DeadLetterMessagesAlarm', {
        description: `${description}: a failure landed in ${queue.node.path}; read it, fix the cause, then redrive or delete it.`,
        metric: queue.metricApproximateNumberOfMessagesVisible(FIVE_MINUTE_MAXIMUM),
        threshold: 1,
        evaluationPeriods: 1,
      }),
      this.queueAlarm(queue, 'DeadLetterAgeAlarm', {
        description: `${description}: a failure has waited in ${queue.node.path} for over ${this.deadLetterAgeThreshold.toHumanString()}.`,
        metric: queue.metricApproximateAgeOfOldestMessage(FIVE_MINUTE_MAXIMUM),
        threshold: this.deadLetterAgeThreshold.toSeconds() + 1,
        evaluationPeriods: 1,
      }),
    ];
  }

  /**
   * One alarm on a work queue: its oldest message older than `maxAge` for 15 minutes, i.e. the consumer is not keeping
   * up (throttled, failing before it reports, or out of concurrency), which a dead-letter queue does not show.
   */
  watchBacklog(queue: sqs.IQueue, description: string, maxAge: Duration): cloudwatch.Alarm {
    if (maxAge.toSeconds() < 300) throw new InvalidPropError(NAME, 'maxAge', maxAge.toHumanString(), 'at least 5 minutes (one alarm period)');
    return this.queueAlarm(queue, 'BacklogAlarm', {
      description: `${description}: the oldest message in ${queue.node.path} has waited over ${maxAge.toHumanString()}; the consumer is falling behind.`,
      metric: queue.metricApproximateAgeOfOldestMessage(FIVE_MINUTE_MAXIMUM),
      threshold: maxAge.toSeconds() + 1,
      evaluationPeriods: 3,
    });
  }

  /**
   * Two alarms on a state machine: any failed execution and any timed-out execution in 5 minutes (a training run that
   * failed, missed its gate or ran out of time needs a look). Created beside the state machine, in its stack.
   */
  watchStateMachine(stateMachine: sfn.IStateMachine, description: string): readonly cloudwatch.Alarm[] {
    const sum = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    return [
      this.scopedAlarm(stateMachine, 'ExecutionsFailedAlarm', {
        description: `${description}: an execution of ${stateMachine.node.path} failed; its execution history names the state and the cause.`,
        metric: stateMachine.metricFailed(sum),
        threshold: 1,
        evaluationPeriods: 1,
      }),
      this.scopedAlarm(stateMachine, 'ExecutionsTimedOutAlarm', {
        description: `${description}: an execution of ${stateMachine.node.path} timed out before it finished.`,
        metric: stateMachine.metricTimedOut(sum),
        threshold: 1,
        evaluationPeriods: 1,
      }),
    ];
  }

  /** One alarm: the count `metric` (its Sum over 5 minutes) at least 1, i.e. the event happened; no data is no event. */
  watchOccurrences(watched: IConstruct, id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this.scopedAlarm(watched, id, { description, metric, threshold: 1, evaluationPeriods: 1 });
  }

  /** At or above the threshold notifies the topic; an empty queue publishes no age, so missing data is fine. */
  private queueAlarm(queue: sqs.IQueue, id: string, options: WatchAlarmOptions): cloudwatch.Alarm {
    if (queue.node.tryFindChild(id)) throw new InvalidPropError(NAME, 'queue', queue.node.path, `a queue without a ${id} yet (each queue is watched once)`);
    return this.scopedAlarm(queue, id, options);
  }

  /** An alarm created under `watched` (so it lives in the watched resource's stack), notifying the topic. */
  private scopedAlarm(watched: IConstruct, id: string, options: WatchAlarmOptions): cloudwatch.Alarm {
    if (watched.node.tryFindChild(id)) throw new InvalidPropError(NAME, 'watched', watched.node.path, `a resource without a ${id} yet (each is watched once)`);
    const alarm = new cloudwatch.Alarm(watched, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    this.watched.push(alarm);
    return alarm;
  }

  /**
   * A topic policy replaces SNS's default one, so CloudWatch needs an explicit publish grant; the key needs one too,
   * since the topic is encrypted with it. Both are limited to alarms of this account and region (confused deputy).
   */
  private allowCloudWatchAlarms(stack: Stack): void {
    const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [principal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions,
      }),
    );
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountEncrypt',
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );
  }
}
