import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { LambdaServing, servingImageFromEcr } from '../../../../constructs/serving';
import { buildFargateServing, servingFixture, sizingFor, SPARSE_PROFILE } from './fixtures/serving-fixture';

/** An image CI pushed to a repository this app does not own, by digest. */
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('serving takes any ECR image, not only one this app builds (servingImageFromEcr)', () => {
  const fixture = servingFixture();
  const repository = ecr.Repository.fromRepositoryArn(fixture.stack, 'PushedRepository', 'arn:aws:ecr:us-east-1:222222222222:repository/onnx-serving');
  const image = servingImageFromEcr(repository, DIGEST);
  buildFargateServing({ image }, fixture);
  new LambdaServing(fixture.stack, 'Lambda', {
    modelName: 'churn-classifier',
    sizing: sizingFor('lambda', SPARSE_PROFILE),
    modelRepository: fixture.modelRepository,
    vpc: fixture.vpc,
    image,
  });
  const template = Template.fromStack(fixture.stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const resources = Object.values(template.Resources);
  const text = (value: unknown) => JSON.stringify(value);

  test('the image URI names the repository and the digest', () => {
    expect(image.imageUri).toContain('onnx-serving@sha256:');
  });

  test('Fargate runs it: the serving container image is the pushed repository at the digest', () => {
    const taskDefinition = resources.find((r) => r.Type === 'AWS::ECS::TaskDefinition')!;
    const containers = taskDefinition.Properties.ContainerDefinitions as Array<{ Name: string; Image: unknown }>;
    expect(containers.some((c) => text(c.Image).includes('222222222222.dkr.ecr.us-east-1.') && text(c.Image).includes(`onnx-serving@${DIGEST}`))).toBe(true);
  });

  test('Lambda runs it: the function image is the pushed repository at the digest', () => {
    const fn = resources.find((r) => r.Type === 'AWS::Lambda::Function' && text(r.Properties.Code).includes('ImageUri'))!;
    expect(text(fn.Properties.Code)).toContain(`onnx-serving@${DIGEST}`);
  });

  test('the Fargate task execution role may pull exactly that repository', () => {
    const pulls = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement)
      .filter((statement) => text(statement.Action).includes('ecr:BatchGetImage'));
    expect(pulls.map((statement) => statement.Resource)).toContainEqual('arn:aws:ecr:us-east-1:222222222222:repository/onnx-serving');
  });
});
