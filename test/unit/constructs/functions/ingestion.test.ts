import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Ingestion, type IngestionProps } from '../../../../constructs/functions';
import { dataPathFixture, functionByDescription, permissionsOf } from './data-path-fixture';

function build(props: Partial<IngestionProps> = {}) {
  const fixture = dataPathFixture();
  const ingestion = new Ingestion(fixture.stack, 'Ingest', { vpc: fixture.vpc, lakehouse: fixture.lakehouse, ...props });
  return { ...fixture, ingestion };
}

describe('Ingestion defaults', () => {
  const { stack, ingestion, alerts } = build();
  const alarms = ingestion.addAlarms(alerts);
  const template = Template.fromStack(stack);
  const fn = functionByDescription(template, /^Bronze object/);
  const queueId = stack.getLogicalId(ingestion.trigger.queue.node.defaultChild as never);

  test('3538 MB (two vCPUs), 15 minutes, 10 objects at once, on the ingest handler', () => {
    expect(fn.props).toMatchObject({ MemorySize: 3538, Timeout: 900, ReservedConcurrentExecutions: 10, Runtime: 'nodejs24.x' });
    expect(ingestion.timeout.toMinutes()).toBe(15);
  });

  test('the environment the handler reads: the silver bucket and the quarantine prefix', () => {
    expect(fn.props.Environment.Variables).toEqual({
      SILVER_BUCKET: { Ref: stack.getLogicalId(ingestion.lakehouse.silverBucket.node.defaultChild as never) },
      QUARANTINE_PREFIX: 'quarantine/',
      INGEST_MAX_RECORD_BYTES: '1048576',
    });
  });

  test('triggered by every Object Created in bronze, through its own queue', () => {
    const bronzeId = stack.getLogicalId(ingestion.lakehouse.bronzeBucket.node.defaultChild as never);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: bronzeId }] } } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: fn.id }, EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
  });

  test('reads bronze, reads and writes silver datasets/, writes quarantine/, lists silver; deletes nothing', () => {
    const policy = permissionsOf(template, 'IngestRolePermissions');
    expect(policy).toContain('"/datasets/*"');
    expect(policy).toContain('"/quarantine/*"');
    expect(policy).toContain('"Action":"s3:ListBucket"');
    expect(policy).not.toMatch(/s3:DeleteObject|s3:\*|materialization-failures|sagemaker:/);
  });

  test('addAlarms: a failure in the dead-letter queue, one left there a day, and a backlog older than an hour', () => {
    expect(alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 3601,
      EvaluationPeriods: 3,
      AlarmDescription: Match.stringLikeRegexp('^Ingest trigger \\(TestStack\\)'),
    });
    const dlqId = stack.getLogicalId(ingestion.deadLetterQueue.node.defaultChild as never);
    const onDlq = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions).includes(dlqId),
    );
    expect(onDlq.map((alarm) => alarm.Properties.MetricName).sort()).toEqual(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible']);
  });
});

describe('Ingestion custom props', () => {
  test('sizing, record limit and backlog age follow the props', () => {
    const { stack, ingestion, alerts } = build({
      memorySize: 1769,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 3,
      maxBacklogAge: Duration.minutes(30),
      maxRecordBytes: 4096,
    });
    ingestion.addAlarms(alerts);
    const template = Template.fromStack(stack);
    const fn = functionByDescription(template, /^Bronze object/).props;
    expect(fn).toMatchObject({ MemorySize: 1769, Timeout: 300, ReservedConcurrentExecutions: 3 });
    expect(fn.Environment.Variables.INGEST_MAX_RECORD_BYTES).toBe('4096');
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 1800, RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 1801, EvaluationPeriods: 3 });
  });
});

describe('Ingestion validation', () => {
  test('a backlog age shorter than one alarm period', () => {
    expect(() => build({ maxBacklogAge: Duration.minutes(2) })).toThrow(
      /Ingestion: invalid maxBacklogAge = "2 minutes"; at least 5 minutes \(one alarm period\)/,
    );
  });

  test.each([512, 2.5, 128 * 1024 * 1024])('maxRecordBytes %p', (maxRecordBytes) => {
    expect(() => build({ maxRecordBytes })).toThrow(new RegExp(`Ingestion: invalid maxRecordBytes = ${maxRecordBytes}; an integer number of bytes from 1024`));
  });

  test("PlatformFunction's own checks still apply (memory)", () => {
    expect(() => build({ memorySize: 64 })).toThrow(/PlatformFunction: invalid memorySize = 64/);
  });
});
