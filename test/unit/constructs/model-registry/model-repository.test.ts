import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
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
    expect(stack.resolve(repository.repositoryUri)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^ModelRepositoryBucket/) }, '/models/']] });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'model-repository/' }),
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
    });
  });

  test('retained on stack deletion', () => {
    for (const resource of Object.values(template.findResources('AWS::S3::Bucket'))) expect(resource.DeletionPolicy).toBe('Retain');
  });

  test('grantRead reads only the models/ prefix and decrypts', () => {
    const rendered = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(rendered).toContain('/models/*');
    expect(rendered).toContain('kms:Decrypt');
    expect(rendered).not.toContain('s3:PutObject');
  });
});

describe('ModelRepository with custom props', () => {
  test('prefix, version expiry and removal follow the props', () => {
    const { stack, repository } = build({ prefix: 'serving/onnx/', noncurrentVersionExpiration: Duration.days(5), removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
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
