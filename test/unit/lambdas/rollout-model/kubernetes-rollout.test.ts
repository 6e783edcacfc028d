import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { PREVIOUS_VERSION_ANNOTATION, SERVED_VERSION_ANNOTATION, type RolloutTargets } from '../../../../lib/rollout';
import { eksKubernetesApis } from '../../../../lambdas/rollout-model/eks-connection';
import { CLUSTER_ID_HEADER, eksToken } from '../../../../lambdas/rollout-model/eks-token';
import { createRolloutHandler } from '../../../../lambdas/rollout-model/rollout-handler';
import { FakeKubernetesApi } from '../../../support/fake-kubernetes-api';
import { approvalEvent, GROUP } from '../promote-model/fixtures';

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
const eks = mockClient(EKSClient);

const CLUSTER = 'mlops-dev-serving-cluster';
const NAMESPACE = 'serving-churn-classifier';
const PIN = '/mlops/dev/serving/churn-classifier/served-version';
const TARGETS: RolloutTargets = {
  'churn-classifier': {
    modelPackageGroup: GROUP,
    pinParameter: PIN,
    target: { kind: 'kubernetes', clusterName: CLUSTER, namespace: NAMESPACE, deployment: 'model-server', containerName: 'server' },
  },
};
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function handler() {
  return createRolloutHandler(
    {
      sagemaker: new SageMakerClient({}),
      s3: new S3Client({}),
      ssm: new SSMClient({}),
      lambda: new LambdaClient({}),
      codedeploy: new CodeDeployClient({}),
      ecs: new ECSClient({}),
      kubernetes: eksKubernetesApis(new EKSClient({ region: 'us-east-1', credentials: CREDENTIALS })),
      kubernetesWatch: { pollSeconds: 0, deadline: () => Date.now() + 60_000, sleep: async () => undefined },
      repository: { bucket: 'models-bucket', prefix: 'models/' },
    },
    TARGETS,
    { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) },
  );
}

/** Registry: these versions are Approved and promoted to the repository; the pin holds `pin`. */
function registry(approved: number[], pin: string) {
  sagemaker.on(ListModelPackagesCommand).resolves({
    ModelPackageSummaryList: approved.map((version) => ({
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: version,
      ModelPackageArn: `arn:aws:sagemaker:us-east-1:123456789012:model-package/${GROUP}/${version}`,
      CreationTime: new Date(),
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: 'Approved',
    })),
  });
  s3.on(HeadObjectCommand).resolves({ ETag: '"e"' });
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PIN, Value: pin } });
  ssm.on(PutParameterCommand).resolves({ Version: 2 });
}

const patchBody = (from: string, to: string) => ({
  metadata: { annotations: { [PREVIOUS_VERSION_ANNOTATION]: from } },
  spec: { template: { metadata: { annotations: { [SERVED_VERSION_ANNOTATION]: to } } } },
});
const pinsWritten = () => ssm.commandCalls(PutParameterCommand).map((call) => call.args[0].input.Value);

let cluster: FakeKubernetesApi;

async function startCluster(served: string, previous?: string, status?: Record<string, unknown>) {
  cluster = new FakeKubernetesApi(
    NAMESPACE,
    'model-server',
    { annotations: previous ? { [PREVIOUS_VERSION_ANNOTATION]: previous } : {}, templateAnnotations: { [SERVED_VERSION_ANNOTATION]: served }, replicas: 2, status },
    { brokenVersions: ['5'], versionAnnotation: SERVED_VERSION_ANNOTATION },
  );
  const endpoint = await cluster.start();
  eks.on(DescribeClusterCommand, { name: CLUSTER }).resolves({
    cluster: { name: CLUSTER, status: 'ACTIVE', endpoint, certificateAuthority: { data: Buffer.from(cluster.certificate.cert).toString('base64') } },
  });
}

beforeEach(() => {
  for (const client of [sagemaker, s3, ssm, eks]) client.reset();
});
afterEach(async () => cluster?.stop());

describe('EKS bearer token', () => {
  test('is a presigned STS GetCallerIdentity URL that signs the cluster name, base64url behind k8s-aws-v1.', async () => {
    const token = await eksToken(CLUSTER, 'eu-west-1', CREDENTIALS, new Date('2026-11-30T01:00:00Z'));
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261130/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20261130T010000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': `host;${CLUSTER_ID_HEADER}`,
    });
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('promotion → Kubernetes rolling update (stand-in API server over TLS)', () => {
  test('an approval patches the pod template pin with a strategic merge patch, waits for the rollout, then moves the SSM pin', async () => {
    await startCluster('3');
    registry([3, 4], '3');
    const outcome = await handler()(approvalEvent({ version: 4 }));

    expect(eks.commandCalls(DescribeClusterCommand).map((call) => call.args[0].input)).toEqual([{ name: CLUSTER }]);
    const patches = cluster.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0].path).toBe(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/model-server`);
    expect(patches[0].headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(patches[0].headers.authorization).toMatch(/^Bearer k8s-aws-v1\./);
    expect(JSON.parse(patches[0].body)).toEqual(patchBody('3', '4'));
    expect(outcome).toMatchObject({ kind: 'started', model: 'churn-classifier', from: 3, to: 4 });
    expect(cluster.current.spec.template.metadata.annotations[SERVED_VERSION_ANNOTATION]).toBe('4');
    expect(pinsWritten()).toEqual(['4']);
  });

  test('a package set back to Rejected rolls the Deployment back to the previous approved version', async () => {
    await startCluster('4', '3');
    registry([3], '4');
    const outcome = await handler()(approvalEvent({ version: 4, status: 'Rejected' }));
    expect(cluster.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body))).toEqual([patchBody('4', '3')]);
    expect(outcome).toMatchObject({ kind: 'started', from: 4, to: 3 });
    expect(pinsWritten()).toEqual(['3']);
  });

  test('a version whose pods never become ready is rolled back to the version still serving; the pin stays there', async () => {
    await startCluster('3');
    registry([3, 5], '3');
    const outcome = await handler()(approvalEvent({ version: 5 }));
    expect(cluster.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body))).toEqual([patchBody('3', '5'), patchBody('5', '3')]);
    expect(outcome).toMatchObject({ kind: 'rolled-back', model: 'churn-classifier', failed: 5, servedVersion: 3 });
    expect((outcome as { reason: string }).reason).toMatch(/ProgressDeadlineExceeded/);
    expect(cluster.current.spec.template.metadata.annotations[SERVED_VERSION_ANNOTATION]).toBe('3');
    expect(pinsWritten()).toEqual([]);
  });

  test('a repeated event for the version already rolled out reads the Deployment and patches nothing', async () => {
    await startCluster('4', '3');
    registry([3, 4], '4');
    const outcome = await handler()(approvalEvent({ version: 4 }));
    expect(outcome).toMatchObject({ kind: 'unchanged', servedVersion: 4 });
    expect(cluster.requests.map((r) => r.method)).toEqual(['GET']);
    expect(pinsWritten()).toEqual([]);
  });

  test('a rollout an earlier invocation left failed is rolled back to its recorded previous version', async () => {
    const failed = {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 1,
      availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "model-server-x" has timed out progressing.' }],
    };
    await startCluster('5', '3', failed);
    registry([3, 5], '5');
    const outcome = await handler()(approvalEvent({ version: 5 }));
    expect(cluster.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body))).toEqual([patchBody('5', '3')]);
    expect(outcome).toMatchObject({ kind: 'rolled-back', failed: 5, servedVersion: 3 });
    expect(pinsWritten()).toEqual(['3']);
  });

  test('no verdict before the function\'s deadline: rolled back to the version still serving', async () => {
    await startCluster('3');
    registry([3, 5], '3');
    // First invocation times out before a verdict (deadline already passed), and rolls back at once.
    const impatient = createRolloutHandler(
      {
        sagemaker: new SageMakerClient({}),
        s3: new S3Client({}),
        ssm: new SSMClient({}),
        lambda: new LambdaClient({}),
        codedeploy: new CodeDeployClient({}),
        ecs: new ECSClient({}),
        kubernetes: eksKubernetesApis(new EKSClient({ region: 'us-east-1', credentials: CREDENTIALS })),
        kubernetesWatch: { pollSeconds: 1, deadline: () => Date.now(), sleep: async () => undefined },
        repository: { bucket: 'models-bucket', prefix: 'models/' },
      },
      TARGETS,
      { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) },
    );
    const outcome = await impatient(approvalEvent({ version: 5 }));
    expect(outcome).toMatchObject({ kind: 'rolled-back', failed: 5, servedVersion: 3 });
    expect((outcome as { reason: string }).reason).toMatch(/no verdict before the function's deadline/);
  });

  test('an API error names the request and the status', async () => {
    await startCluster('3');
    registry([3, 4], '3');
    const wrongNamespace: RolloutTargets = { 'churn-classifier': { ...TARGETS['churn-classifier'], target: { ...TARGETS['churn-classifier'].target, namespace: 'other' } as never } };
    const run = createRolloutHandler(
      {
        sagemaker: new SageMakerClient({}),
        s3: new S3Client({}),
        ssm: new SSMClient({}),
        lambda: new LambdaClient({}),
        codedeploy: new CodeDeployClient({}),
        ecs: new ECSClient({}),
        kubernetes: eksKubernetesApis(new EKSClient({ region: 'us-east-1', credentials: CREDENTIALS })),
        kubernetesWatch: { pollSeconds: 0, deadline: () => Date.now() + 60_000 },
        repository: { bucket: 'models-bucket', prefix: 'models/' },
      },
      wrongNamespace,
      { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) },
    );
    await expect(run(approvalEvent({ version: 4 }))).rejects.toThrow(/GET \/apis\/apps\/v1\/namespaces\/other\/deployments\/model-server: HTTP 404/);
  });
});
