import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ObjectCreatedTrigger, type ObjectCreatedTriggerProps } from '../../../../constructs/functions';
import { buildFunction } from './build-function';

function build(props: Partial<ObjectCreatedTriggerProps> = {}) {
  const { stack, fn } = buildFunction({ reservedConcurrentExecutions: 4 });
  const bucket = new s3.Bucket(stack, 'Bronze');
  const trigger = new ObjectCreatedTrigger(stack, 'Trigger', { bucket, target: fn, ...props });
  return { stack, fn, bucket, trigger };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

describe('ObjectCreatedTrigger defaults', () => {
  const { stack, fn, bucket, trigger } = build();
  const template = Template.fromStack(stack);
  const queueId = logicalId(stack, trigger.queue);
  const dlqId = logicalId(stack, fn.deadLetterQueue);
  const bucketId = logicalId(stack, bucket);

  test('an EventBridge rule on Object Created in the bucket, any key, sends to the queue; undeliverable events go to the DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: bucketId }] } } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } })],
    });
  });

  test('the queue is encrypted with the function key, TLS-only, redrives to the function DLQ after 5 receives', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
      MessageRetentionPeriod: 4 * 24 * 3600,
    });
  });

  test("metricOldestMessageAge: the queue's oldest message age, maximum over 5 minutes", () => {
    const metric = trigger.metricOldestMessageAge();
    expect(metric).toMatchObject({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', statistic: 'Maximum' });
    expect(stack.resolve(metric.dimensions)).toEqual({ QueueName: { 'Fn::GetAtt': [queueId, 'QueueName'] } });
  });

  test('visibility timeout is six times the function timeout', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.anyValue(), VisibilityTimeout: 6 * 60 });
  });

  test('EventBridge may send to the queue and use its key, only for this rule', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('the event source reports batch item failures, one message per batch, at most the reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });
});

describe('ObjectCreatedTrigger with custom props', () => {
  test('key prefix, receive count, batch size and concurrency', () => {
    const { stack } = build({ keyPrefix: 'datasets/', maxReceiveCount: 3, batchSize: 5, maxConcurrency: 2 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: { object: { key: [{ prefix: 'datasets/' }] } } } });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 5, ScalingConfig: { MaximumConcurrency: 2 } });
  });
});

describe('ObjectCreatedTrigger validation', () => {
  test.each([
    [{ maxReceiveCount: 0 }, /invalid maxReceiveCount = 0; an integer from 1 to 1000/],
    [{ batchSize: 11 }, /invalid batchSize = 11; an integer from 1 to 10/],
    [{ maxConcurrency: 5 }, /invalid maxConcurrency = 5; an integer from 2 to the function's reserved concurrency \(4\)/],
    [{ keyPrefix: '' }, /invalid keyPrefix = ""; a non-empty key prefix/],
  ])('%o is rejected', (overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
