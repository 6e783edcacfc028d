import { buildAuditReport } from '../../../../lib/audit';
import { input, stack } from './fixtures';

describe('data protection', () => {
  const data = stack(
    'data',
    {
      Key: {
        Type: 'AWS::KMS::Key',
        DeletionPolicy: 'Retain',
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: [
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
              { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*'], Resource: '*' },
            ],
          },
        },
      },
      Bucket: {
        Type: 'AWS::S3::Bucket',
        DeletionPolicy: 'Retain',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: { Rules: [{ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 7 } }] },
        },
      },
      PlainQueue: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: false } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
    },
    { KeyArnExport: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'mlops-test-data:KeyArn' } } },
  );
  const other = stack('platform', { Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::ImportValue': 'mlops-test-data:KeyArn' } } } });
  const report = buildAuditReport(input([data, other]));
  const store = (logicalId: string) => report.dataProtection.stores.find((s) => s.logicalId === logicalId);

  test('an unencrypted queue is listed first and counted', () => {
    expect(report.dataProtection.stores[0]).toEqual(expect.objectContaining({ logicalId: 'PlainQueue', encrypted: false }));
    expect(report.summary.unencryptedStores).toBe(1);
  });

  test('each store names its key (across stacks, through exports), the key rotation, versioning, retention and removal policy', () => {
    expect(store('Bucket')).toEqual(
      expect.objectContaining({
        key: 'data/Key',
        keyRotation: true,
        versioning: 'Enabled',
        retention: 'noncurrent versions after 7 d',
        deletionPolicy: 'Retain',
      }),
    );
    expect(store('Topic')).toEqual(expect.objectContaining({ encrypted: true, key: 'data/Key', keyRotation: true, deletionPolicy: 'Delete' }));
    expect(store('Logs')).toEqual(expect.objectContaining({ encrypted: true, key: null, retention: '30 d' }));
  });

  test('key policies say who administers and who uses each key', () => {
    expect(report.dataProtection.keys).toEqual([
      expect.objectContaining({
        logicalId: 'Key',
        rotation: true,
        administrators: ['AWS:arn:aws:iam::123456789012:root'],
        users: ['AWS:arn:aws:iam::123456789012:root', 'Service:logs.amazonaws.com'],
        deletionPolicy: 'Retain',
      }),
    ]);
  });

  test('a launch template without encrypted EBS volumes is unencrypted', () => {
    const launchTemplate = stack('serving', {
      Lt: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20 } }] } },
      },
    });
    expect(buildAuditReport(input([launchTemplate])).dataProtection.stores.map((s) => [s.encrypted, s.encryption])).toEqual([[false, 'EBS NOT ENCRYPTED']]);
  });
});
