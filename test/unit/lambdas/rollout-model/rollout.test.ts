import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { parseRolloutTargets, type RolloutTargets } from '../../../../lib/rollout';
import { NotPromotedYetError } from '../../../../lambdas/rollout-model/errors';
import { approvalEvent } from '../promote-model/fixtures';
import { approvedPackages, rolloutHandlerFor } from './fixtures';

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
const lambda = mockClient(LambdaClient);
const codedeploy = mockClient(CodeDeployClient);
const ecs = mockClient(ECSClient);

const FUNCTION = 'mlops-dev-serving-ChurnFunction';
const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/fraud-cluster/fraud-service';
const LAMBDA_TARGETS: RolloutTargets = {
  'churn-classifier': {
    modelPackageGroup: 'dev-churn-classifier',
    pinParameter: '/mlops/dev/serving/churn-classifier/served-version',
    target: { kind: 'lambda', functionName: FUNCTION, aliasName: 'live', codeDeployApplication: 'churn-app', deploymentGroup: 'churn-group' },
  },
};
const ECS_TARGETS: RolloutTargets = {
  'churn-classifier': {
    modelPackageGroup: 'dev-churn-classifier',
    pinParameter: '/mlops/dev/serving/churn-classifier/served-version',
    target: { kind: 'ecs', cluster: 'fraud-cluster', service: 'fraud-service', containerName: 'Serving' },
  },
};

const handlerFor = (targets: RolloutTargets) => rolloutHandlerFor(targets, { updateWaitSeconds: 5 });

/** Registry: these versions are Approved; repository: these versions have a model.onnx; pin: this value. */
function world({ approved, inRepository, pin }: { approved: number[]; inRepository: number[]; pin: string }) {
  sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: approvedPackages('dev-churn-classifier', approved) });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const version = Number(/churn-classifier\/(\d+)\/model\.onnx$/.exec(input.Key)?.[1]);
    if (inRepository.includes(version)) return { ETag: '"e"' };
    throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/mlops/dev/serving/churn-classifier/served-version', Value: pin } });
  ssm.on(PutParameterCommand).resolves({ Version: 2 });
}

/** Lambda: the live alias points at function version `functionVersion`, pinned to `servedVersion`. */
function lambdaServing(functionVersion: string, servedVersion: string) {
  lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: functionVersion });
  lambda.on(GetFunctionConfigurationCommand, { FunctionName: FUNCTION, Qualifier: functionVersion }).resolves({
    Environment: { Variables: { MODEL_REPOSITORY: 's3://models-bucket/models/', SERVED_MODELS: 'churn-classifier', SERVED_MODEL_VERSION: servedVersion } },
  });
  lambda.on(GetFunctionConfigurationCommand, { FunctionName: FUNCTION }).resolves({
    RevisionId: 'rev-1',
    Environment: { Variables: { MODEL_REPOSITORY: 's3://models-bucket/models/', SERVED_MODELS: 'churn-classifier', SERVED_MODEL_VERSION: servedVersion } },
  });
  lambda.on(UpdateFunctionConfigurationCommand).resolves({ LastUpdateStatus: 'InProgress' });
  lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful' } });
  lambda.on(PublishVersionCommand).resolves({ Version: '8' });
  codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-ABC123' });
}

const TASK_DEFINITION_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/fraud:4';
/** ECS: the service runs revision 4 whose Serving container is pinned to `servedVersion`. */
function ecsServing(servedVersion: string) {
  ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'fraud-service', taskDefinition: TASK_DEFINITION_ARN }] });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: TASK_DEFINITION_ARN,
      family: 'fraud',
      revision: 4,
      status: 'ACTIVE',
      taskRoleArn: 'arn:aws:iam::123456789012:role/task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/execution',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      compatibilities: ['EC2', 'FARGATE'],
      cpu: '512',
      memory: '3072',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      volumes: [{ name: 'scratch' }],
      registeredAt: new Date(),
      containerDefinitions: [
        {
          name: 'Serving',
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/serving:abc',
          environment: [
            { name: 'MODEL_REPOSITORY', value: 's3://models-bucket/models/' },
            { name: 'SERVED_MODEL_VERSION', value: servedVersion },
          ],
        },
        {
          name: 'MetricsCollector',
          image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0',
          environment: [{ name: 'AOT_CONFIG_CONTENT', value: '{}' }],
        },
      ],
    },
  });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/fraud:5' } });
  ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [{ id: 'ecs-svc/123', status: 'PRIMARY' }] } });
}

beforeEach(() => {
  for (const client of [sagemaker, s3, ssm, lambda, codedeploy, ecs]) client.reset();
});

describe('promotion → Lambda rollout through CodeDeploy', () => {
  it('publishes a function version pinned to the new model version and asks CodeDeploy to shift the live alias to it', async () => {
    world({ approved: [3, 2], inRepository: [2, 3], pin: '2' });
    lambdaServing('7', '2');
    const outcome = await handlerFor(LAMBDA_TARGETS)(approvalEvent({ version: 3 }));

    expect(outcome).toEqual({ kind: 'started', model: 'churn-classifier', from: 2, to: 3, deploymentId: 'd-ABC123', detail: 'function version 8' });
    expect(sagemaker.commandCalls(ListModelPackagesCommand)[0].args[0].input).toEqual({
      ModelPackageGroupName: 'dev-churn-classifier',
      ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    });
    expect(s3.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: 'models-bucket', Key: 'models/churn-classifier/3/model.onnx' });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0].input).toEqual({
      FunctionName: FUNCTION,
      RevisionId: 'rev-1',
      Environment: { Variables: { MODEL_REPOSITORY: 's3://models-bucket/models/', SERVED_MODELS: 'churn-classifier', SERVED_MODEL_VERSION: '3' } },
    });
    expect(lambda.commandCalls(PublishVersionCommand)[0].args[0].input).toEqual({ FunctionName: FUNCTION, Description: 'model version 3' });
    const deployment = codedeploy.commandCalls(CreateDeploymentCommand)[0].args[0].input;
    expect(deployment).toMatchObject({
      applicationName: 'churn-app',
      deploymentGroupName: 'churn-group',
      revision: { revisionType: 'AppSpecContent' },
    });
    // The AppSpec of a Lambda deployment (CodeDeploy user guide, "AppSpec 'resources' section for AWS Lambda").
    expect(JSON.parse(deployment.revision!.appSpecContent!.content!)).toEqual({
      version: 0,
      Resources: [{ [FUNCTION]: { Type: 'AWS::Lambda::Function', Properties: { Name: FUNCTION, Alias: 'live', CurrentVersion: '7', TargetVersion: '8' } } }],
    });
    expect(ssm.commandCalls(PutParameterCommand)[0].args[0].input).toEqual({
      Name: '/mlops/dev/serving/churn-classifier/served-version',
      Value: '3',
      Overwrite: true,
    });
  });

  it('a repeated approval event changes nothing: no new version, no deployment, the pin stays', async () => {
    world({ approved: [3, 2], inRepository: [2, 3], pin: '3' });
    lambdaServing('8', '3');
    const outcome = await handlerFor(LAMBDA_TARGETS)(approvalEvent({ version: 3 }));
    expect(outcome).toEqual({ kind: 'unchanged', model: 'churn-classifier', servedVersion: 3 });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
    expect(codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('a CodeDeploy deployment that failed (alarm rollback) sets the pin back to the version the alias still serves', async () => {
    world({ approved: [3, 2], inRepository: [2, 3], pin: '3' });
    lambdaServing('7', '2');
    const outcome = await handlerFor(LAMBDA_TARGETS)({
      version: '0',
      id: 'c1',
      'detail-type': 'CodeDeploy Deployment State-change Notification',
      source: 'aws.codedeploy',
      account: '123456789012',
      time: '2026-11-29T20:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        region: 'us-east-1',
        deploymentId: 'd-ABC123',
        instanceGroupId: 'g',
        deploymentGroup: 'churn-group',
        application: 'churn-app',
        state: 'FAILURE',
      },
    });
    expect(outcome).toEqual({ kind: 'resync', model: 'churn-classifier', servedVersion: 2, changed: true });
    expect(ssm.commandCalls(PutParameterCommand)[0].args[0].input).toMatchObject({ Value: '2' });
  });
});

describe('promotion → ECS rollout through a new task definition revision', () => {
  it('registers a revision that differs only in the pin and deploys it to the service (circuit breaker and alarms apply)', async () => {
    world({ approved: [3, 2], inRepository: [2, 3], pin: '2' });
    ecsServing('2');
    const outcome = await handlerFor(ECS_TARGETS)(approvalEvent({ version: 3 }));
    expect(outcome).toMatchObject({ kind: 'started', from: 2, to: 3, deploymentId: 'ecs-svc/123' });

    expect(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: 'fraud-cluster', services: ['fraud-service'] });
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    expect(registered).toMatchObject({
      family: 'fraud',
      taskRoleArn: 'arn:aws:iam::123456789012:role/task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/execution',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '3072',
      volumes: [{ name: 'scratch' }],
    });
    // Read-only fields of DescribeTaskDefinition are not sent back.
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'compatibilities', 'registeredAt']) expect(registered).not.toHaveProperty(field);
    expect(registered.containerDefinitions![0].environment).toEqual([
      { name: 'MODEL_REPOSITORY', value: 's3://models-bucket/models/' },
      { name: 'SERVED_MODEL_VERSION', value: '3' },
    ]);
    expect(registered.containerDefinitions![1].environment).toEqual([{ name: 'AOT_CONFIG_CONTENT', value: '{}' }]);
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster: 'fraud-cluster',
      service: 'fraud-service',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/fraud:5',
    });
    expect(ssm.commandCalls(PutParameterCommand)[0].args[0].input).toMatchObject({ Value: '3' });
  });

  it('a package set back to Rejected rolls the service back to the previous approved version', async () => {
    world({ approved: [2], inRepository: [2, 3], pin: '3' });
    ecsServing('3');
    const outcome = await handlerFor(ECS_TARGETS)(approvalEvent({ version: 3, status: 'Rejected' }));
    expect(outcome).toMatchObject({ kind: 'started', from: 3, to: 2 });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.containerDefinitions![0].environment).toContainEqual({
      name: 'SERVED_MODEL_VERSION',
      value: '2',
    });
    expect(ssm.commandCalls(PutParameterCommand)[0].args[0].input).toMatchObject({ Value: '2' });
  });

  it('PendingManualApproval after approval also rolls back to the previous approved version', async () => {
    world({ approved: [1], inRepository: [1, 2], pin: '2' });
    ecsServing('2');
    const outcome = await handlerFor(ECS_TARGETS)(approvalEvent({ version: 2, status: 'PendingManualApproval' }));
    expect(outcome).toMatchObject({ kind: 'started', from: 2, to: 1 });
  });

  it('an approval whose model.onnx is not written yet is retried (throws) rather than settling on an older version', async () => {
    world({ approved: [3, 2], inRepository: [2], pin: '2' });
    ecsServing('2');
    await expect(handlerFor(ECS_TARGETS)(approvalEvent({ version: 3 }))).rejects.toThrow(NotPromotedYetError);
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('a version approved below the newest one changes nothing', async () => {
    world({ approved: [3, 2], inRepository: [2, 3], pin: '3' });
    ecsServing('3');
    expect(await handlerFor(ECS_TARGETS)(approvalEvent({ version: 2 }))).toMatchObject({ kind: 'unchanged', servedVersion: 3 });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('no approved version left: nothing is rolled (a deployment cannot roll to no model), reported', async () => {
    world({ approved: [], inRepository: [3], pin: '3' });
    ecsServing('3');
    expect(await handlerFor(ECS_TARGETS)(approvalEvent({ version: 3, status: 'Rejected' }))).toEqual({
      kind: 'nothing-approved',
      model: 'churn-classifier',
      servedVersion: 3,
    });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('an ECS deployment that failed (circuit breaker or alarm rollback) sets the pin back to the revision still serving', async () => {
    world({ approved: [3, 2], inRepository: [2, 3], pin: '3' });
    ecsServing('2');
    const outcome = await handlerFor(ECS_TARGETS)({
      version: '0',
      id: 'e1',
      'detail-type': 'ECS Deployment State Change',
      source: 'aws.ecs',
      account: '123456789012',
      time: '2026-11-29T20:00:00Z',
      region: 'us-east-1',
      resources: [SERVICE_ARN],
      detail: { eventType: 'ERROR', eventName: 'SERVICE_DEPLOYMENT_FAILED', deploymentId: 'ecs-svc/123', updatedAt: '2026-11-29T20:00:00Z', reason: 'alarm' },
    });
    expect(outcome).toEqual({ kind: 'resync', model: 'churn-classifier', servedVersion: 2, changed: true });
  });

  it('events for other groups, and successful deployments, are ignored; unknown shapes throw', async () => {
    world({ approved: [], inRepository: [], pin: 'none' });
    const other = approvalEvent({ version: 1 });
    other.detail.ModelPackageGroupName = 'dev-other';
    expect(await handlerFor(ECS_TARGETS)(other)).toMatchObject({ kind: 'ignore' });
    await expect(handlerFor(ECS_TARGETS)({ source: 'aws.s3' })).rejects.toThrow(
      /not a model package state change, ECS deployment or CodeDeploy deployment event/,
    );
  });
});

describe('ROLLOUT_TARGETS', () => {
  it('parses the construct-written JSON and names the problem otherwise', () => {
    expect(parseRolloutTargets(JSON.stringify(ECS_TARGETS))).toEqual(ECS_TARGETS);
    expect(() => parseRolloutTargets('{')).toThrow(/ROLLOUT_TARGETS is not valid JSON/);
    expect(() => parseRolloutTargets(JSON.stringify({ 'churn-classifier': { ...ECS_TARGETS['churn-classifier'], target: { kind: 'k8s' } } }))).toThrow(
      /ROLLOUT_TARGETS is invalid: .*target/,
    );
  });
});
