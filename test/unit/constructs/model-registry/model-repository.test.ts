import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelRepository, type ModelRepositoryProps } from '../../../../constructs/model-registry';
import { fastCdkContext } from '../../../support/cdk-context';

function build(props?: ModelRepositoryProps) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Repo');
  const repository = new ModelRepository(stack, 'ModelRepository', props);
  return { stack, repository };
}

describe('ModelRepository defaults', () => {
  const { stack, repository } = build();
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  repository.grantRead(reader);
  const template = Template.fromStack(stack);

  test('models live under models/ in a KMS-encrypted, versioned, logged bucket with its own rotating key', () => {
    expect(repository.prefix).toBe('models/');
    expect(stack.resolve(repository.repositoryUri)).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^ModelRepositoryBucket/) }, '/models/']],
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'model-repository/' }),
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
    });
  });

  test('retained on stack deletion', () => {
    for (const resource of Object.values(template.findResources('AWS::S3::Bucket'))) expect(resource.DeletionPolicy).toBe('Retain');
  });

  const statementsOf = (t: Template) =>
    Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
  const bucketRef = { 'Fn::GetAtt': [expect.stringMatching(/^ModelRepositoryBucket/), 'Arn'] };
  const keyRef = { 'Fn::GetAtt': [expect.stringMatching(/^ModelRepositoryEncryptionKey/), 'Arn'] };
  const objectsRef = { 'Fn::Join': ['', [bucketRef, '/models/*']] };

  test('grantRead: object reads under models/, listing of models/ only, Decrypt — no wildcard actions, nothing on the bucket itself', () => {
    const statements = statementsOf(template);
    expect(statements).toHaveLength(3);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyRef },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objectsRef },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketRef, Condition: { StringLike: { 's3:prefix': ['models/*'] } } },
      ]),
    );
  });

  test('grantWrite: put (and abort a multipart upload), read back, list; GenerateDataKey + Decrypt — no delete, retention, legal hold, tagging, Encrypt or ReEncrypt', () => {
    const { stack: writerStack, repository: writerRepository } = build();
    const writer = new iam.Role(writerStack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    writerRepository.grantWrite(writer);
    const statements = statementsOf(Template.fromStack(writerStack));
    expect(statements).toHaveLength(3);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyRef },
        { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: objectsRef },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketRef },
      ]),
    );
    expect(JSON.stringify(statements)).not.toMatch(/Delete|Retention|LegalHold|Tagging|kms:Encrypt|ReEncrypt/);
  });
});

describe('ModelRepository with custom props', () => {
  test('prefix, version expiry and removal follow the props', () => {
    const { stack, repository } = build({
      prefix: 'serving/onnx/',
      noncurrentVersionExpiration: Duration.days(5),
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const template = Template.fromStack(stack);
    expect(repository.prefix).toBe('serving/onnx/');
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 5 } })] },
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  test.each<[ModelRepositoryProps, RegExp]>([
    [{ autoDeleteObjects: true }, /ModelRepository: invalid autoDeleteObjects = true; only allowed with removalPolicy DESTROY/],
    [{ prefix: 'models' }, /ModelRepository: invalid prefix = "models"; empty or key segments ending in '\/'/],
  ])('%j is rejected', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('ModelRepository.fromModelRepositoryAttributes', () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer');
  const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'team-model-repository');
  const repository = ModelRepository.fromModelRepositoryAttributes(stack, 'Shared', { bucket, encryptionKey: key, prefix: 'serving/' });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  const readGrant = repository.grantRead(reader);
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const writeGrant = repository.grantWrite(writer);
  const template = Template.fromStack(stack);

  test('the same URI and grants, which return an iam.Grant', () => {
    expect(stack.resolve(repository.repositoryUri)).toBe('s3://team-model-repository/serving/');
    expect(readGrant).toBeInstanceOf(iam.Grant);
    expect(readGrant.success).toBe(true);
    expect(writeGrant.success).toBe(true);
  });

  test('an imported repository gets the same narrow grants, the key named explicitly', () => {
    const policyOf = (role: string) =>
      JSON.stringify(Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith(role))![1].Properties.PolicyDocument);
    const read = policyOf('Reader');
    expect(read).toContain(`{"Action":"kms:Decrypt","Effect":"Allow","Resource":"${key.keyArn}"}`);
    expect(read).toContain(':s3:::team-model-repository/serving/*');
    const write = policyOf('Writer');
    expect(write).toContain(`{"Action":["kms:Decrypt","kms:GenerateDataKey"],"Effect":"Allow","Resource":"${key.keyArn}"}`);
    expect(write).toContain('s3:PutObject');
  });

  test('the prefix is checked as for a created repository', () => {
    expect(() => ModelRepository.fromModelRepositoryAttributes(stack, 'Bad', { bucket, encryptionKey: key, prefix: 'no-slash' })).toThrow(
      /ModelRepository: invalid prefix = "no-slash"; empty or key segments ending in '\/'/,
    );
  });
});
