import { alarmInventory, buildAuditReport, encryptionInventory, exposureInventory, retentionInventory, wildcardResourceInventory, type AuditInput, type StackTemplate } from '../../../../lib/audit';
import { decideEnvironment } from '../../../../lib/decision';
import { loadEnvironment } from '../../../../lib/config';
import { cdkContext } from '../../../support/cdk-context';

const stacks: StackTemplate[] = [
  {
    stackName: 'mlops-test-data',
    template: {
      Resources: {
        KmsBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } } },
        LogBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
        PlainBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
        Key: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'arn:key' } },
        PagingAlarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, AlarmActions: [{ 'Fn::ImportValue': 'topic' }] },
        },
        SilentAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', ComparisonOperator: 'GreaterThanThreshold', Threshold: 5 } },
      },
    },
  },
  {
    stackName: 'mlops-test-serving',
    template: {
      Resources: {
        Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal' } },
        Url: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'AWS_IAM' } },
        OpenSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 443 }] } },
        ClosedSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', FromPort: 8080 }] } },
        Policy: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
                { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' },
                { Effect: 'Deny', Action: '*', Resource: '*' },
              ],
            },
          },
        },
      },
    },
  },
];

describe('audit inventories', () => {
  test('encryption at rest names how each data store is encrypted and flags what is not', () => {
    expect(encryptionInventory(stacks).map((r) => [r.logicalId, r.detail])).toEqual([
      ['KmsBucket', 'SSE-KMS (customer-managed key)'],
      ['LogBucket', 'SSE-S3 (AES-256)'],
      ['PlainBucket', 'NOT ENCRYPTED'],
      ['Key', 'customer-managed key, rotation on'],
      ['Queue', 'SSE-KMS'],
    ]);
  });

  test('exposure lists load balancers, function URLs and security groups open to the internet only', () => {
    expect(exposureInventory(stacks).map((r) => [r.logicalId, r.detail])).toEqual([
      ['Alb', 'scheme internal'],
      ['Url', 'auth AWS_IAM'],
      ['OpenSg', 'open to the internet on ports 443'],
    ]);
  });

  test('wildcard resources list Allow statements on * only', () => {
    expect(wildcardResourceInventory(stacks).map((r) => [r.logicalId, r.detail])).toEqual([['Policy', 'xray:PutTraceSegments, xray:PutTelemetryRecords']]);
  });

  test('retention shows the deletion policy of stateful resources, Delete when unset', () => {
    expect(retentionInventory(stacks).map((r) => [r.logicalId, r.detail])).toEqual([
      ['KmsBucket', 'Retain'],
      ['LogBucket', 'Delete'],
      ['PlainBucket', 'Delete'],
      ['Key', 'Retain'],
      ['Queue', 'Delete'],
    ]);
  });
});

describe('alarm inventory', () => {
  test('names what each alarm watches and flags the ones that notify nobody', () => {
    expect(alarmInventory(stacks).map((r) => [r.logicalId, r.detail])).toEqual([
      ['PagingAlarm', 'ApproximateNumberOfMessagesVisible >= 1; notifies 1 action(s)'],
      ['SilentAlarm', 'Errors > 5; NO NOTIFICATION'],
    ]);
  });

  test('appears in the report', () => {
    const report = buildAuditReport({ environmentName: 'x', generatedAt: 'now', stacks, acknowledgments: [], gates: [], servingDecisions: { models: [] } });
    expect(report).toContain('## Alarms');
    expect(report).toContain('| mlops-test-data | SilentAlarm | AWS::CloudWatch::Alarm | Errors > 5; NO NOTIFICATION |');
  });
});

describe('buildAuditReport', () => {
  const environment = loadEnvironment(cdkContext().environments, 'prod');
  const input: AuditInput = {
    environmentName: 'prod',
    generatedAt: '2026-11-23T00:00:00.000Z',
    stacks,
    acknowledgments: [{ stackName: 'mlops-test-data', constructPath: 'mlops-test-data/LogBucket/Resource', ruleId: 'NIST::S3KMS', reason: 'log delivery | needs SSE-S3', source: 'platform' }],
    gates: [
      { plugin: 'AwsSolutions', unacknowledgedFindings: 0 },
      { plugin: 'NIST.800.53.R5', unacknowledgedFindings: 0 },
    ],
    servingDecisions: decideEnvironment(environment.config),
  };

  test('passes when no gate has an unacknowledged finding, and fails otherwise', () => {
    expect(buildAuditReport(input)).toContain('Result: **PASS**, 0 unacknowledged finding(s), 1 acknowledged.');
    const failing = { ...input, gates: [{ plugin: 'AwsSolutions', unacknowledgedFindings: 2 }] };
    expect(buildAuditReport(failing)).toContain('Result: **FAIL**, 2 unacknowledged finding(s)');
  });

  test('lists every acknowledgment with its reason, escaping table syntax', () => {
    expect(buildAuditReport(input)).toContain('| mlops-test-data | mlops-test-data/LogBucket/Resource | NIST::S3KMS | platform | log delivery \\| needs SSE-S3 |');
  });

  test('records every model decision with its costs and the rejected targets', () => {
    const report = buildAuditReport(input);
    for (const { modelName, decision } of input.servingDecisions.models) {
      expect(report).toMatch(new RegExp(`\\| ${modelName} \\| ${decision.target} \\| no \\|`));
      for (const rejection of decision.rejected) expect(report).toContain(`| ${modelName} | ${rejection.target} |`);
    }
  });

  test('is deterministic for the same input', () => {
    expect(buildAuditReport(input)).toBe(buildAuditReport(input));
  });
});
