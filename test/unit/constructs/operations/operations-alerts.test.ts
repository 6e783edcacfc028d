import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { OperationsAlerts } from '../../../../constructs/operations';
import { fastCdkContext } from '../../../support/cdk-context';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const ALARM_ARNS = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*';

function build(props: ConstructorParameters<typeof OperationsAlerts>[2] = {}) {
  const app = new App({ context: fastCdkContext() });
  const stack = new Stack(app, 'Ops', { env: ENV });
  const alerts = new OperationsAlerts(stack, 'Alerts', props);
  return { app, stack, alerts };
}

describe('OperationsAlerts', () => {
  test('the topic is encrypted with its own rotating key and refuses publishes without TLS', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('only CloudWatch alarms of this account and region may publish, and use the key', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    const conditions = { StringEquals: { 'aws:SourceAccount': ENV.account }, ArnLike: { 'aws:SourceArn': ALARM_ARNS } };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: conditions,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsOfThisAccountEncrypt',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: conditions,
          }),
        ]),
      },
    });
  });

  test('defaults: no subscription, the key retained, a dead letter pages again after one day', () => {
    const { stack, alerts } = build();
    alerts.watchDeadLetterQueue(new sqs.Queue(stack, 'Dlq'), 'x');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 24 * 3600 + 1 });
  });

  test('each email subscriber gets a subscription; the removal policy reaches the key', () => {
    const { stack } = build({ emailSubscribers: ['oncall@example.com', 'ml-team@example.com'], removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('a dead-letter queue gets a message alarm and an age alarm beside it, both notifying the topic', () => {
    const app = new App({ context: fastCdkContext() });
    const ops = new Stack(app, 'Ops', { env: ENV });
    const alerts = new OperationsAlerts(ops, 'Alerts', { deadLetterAgeThreshold: Duration.hours(6) });
    const workload = new Stack(app, 'Workload', { env: ENV });
    const queue = new sqs.Queue(workload, 'Dlq', { enforceSSL: true });
    const alarms = alerts.watchDeadLetterQueue(queue, 'Ingest failures');

    expect(alarms).toHaveLength(2);
    expect(alerts.alarms).toEqual(alarms);
    const template = Template.fromStack(workload);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    const action = [{ 'Fn::ImportValue': Match.stringLikeRegexp('^Ops:ExportsOutputRefAlertsTopic') }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: action,
      AlarmDescription: Match.stringLikeRegexp('^Ingest failures: a failure landed in Workload/Dlq'),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 6 * 3600 + 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: action,
    });
    Template.fromStack(ops).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('watching the same queue twice is an error, not a duplicate page', () => {
    const { stack, alerts } = build();
    const queue = new sqs.Queue(stack, 'Dlq');
    alerts.watchDeadLetterQueue(queue, 'x');
    expect(() => alerts.watchDeadLetterQueue(queue, 'x')).toThrow(/invalid queue = "Ops\/Dlq"; a queue without a DeadLetterMessagesAlarm yet/);
  });

  test('a work queue gets a backlog alarm: oldest message over the limit for three periods', () => {
    const { stack, alerts } = build();
    const queue = new sqs.Queue(stack, 'Work');
    const alarm = alerts.watchBacklog(queue, 'Ingest', Duration.hours(1));
    expect(alerts.alarms).toEqual([alarm]);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Work'), 'QueueName'] } }],
      Threshold: 3601,
      EvaluationPeriods: 3,
      Period: 300,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
      AlarmDescription: Match.stringLikeRegexp('^Ingest: the oldest message in Ops/Work has waited over 1 hour'),
    });
    expect(() => alerts.watchBacklog(new sqs.Queue(stack, 'Other'), 'x', Duration.minutes(2))).toThrow(/invalid maxAge = "2 minutes"; at least 5 minutes/);
  });

  test.each([
    ['an email without @', { emailSubscribers: ['oncall.example.com'] }, /emailSubscribers = "oncall.example.com"; email addresses such as oncall@example.com/],
    ['an age threshold below one period', { deadLetterAgeThreshold: Duration.minutes(1) }, /deadLetterAgeThreshold = "1 minute"; at least 5 minutes/],
  ])('bad props are named: %s', (_label, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
