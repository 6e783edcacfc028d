import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { PREVIOUS_VERSION_ANNOTATION, SERVED_VERSION_ANNOTATION, type RolloutTargets } from '../../../../lib/rollout';
import { CLUSTER_ID_HEADER, eksToken } from '../../../../lambdas/rollout-model/eks-token';
import type { RolloutDeps } from '../../../../lambdas/rollout-model/rollout';
import type { FakeKubernetesApi } from '../../../support/fake-kubernetes-api';
import { approvalEvent, GROUP } from '../promote-model/fixtures';
import { approvedPackages, EXAMPLE_CREDENTIALS, exampleKubernetesApis, rolloutHandlerFor, startFakeCluster } from './fixtures';

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
    target: {
      kind: 'kubernetes',
      clusterName: CLUSTER,
      namespace: NAMESPACE,
      deployment: 'model-server',
      containerName: 'server',
      signals: { p99LatencyMs: 100, errorRateThresholdPercent: 1, bakeSeconds: 0, evaluationsToRollBack: 3 },
    },
  },
};
/** These tests are about readiness: no request reaches a new version (test/integration/rollout has the signals). */
const noTraffic = async () => ({ kind: 'no-traffic' as const });

const kubernetesDeps = (overrides: Partial<RolloutDeps> = {}): Partial<RolloutDeps> => ({
  kubernetes: exampleKubernetesApis(),
  kubernetesWatch: { pollSeconds: 0, deadline: () => Date.now() + 60_000, sleep: async () => undefined },
  servingSignals: noTraffic,
  ...overrides,
});
const handler = () => rolloutHandlerFor(TARGETS, kubernetesDeps());

/** Registry: these versions are Approved and promoted to the repository; the pin holds `pin`. */
function registry(approved: number[], pin: string) {
  sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: approvedPackages(GROUP, approved) });
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
  cluster = await startFakeCluster(eks, CLUSTER, NAMESPACE, {
    served,
    annotations: previous ? { [PREVIOUS_VERSION_ANNOTATION]: previous } : {},
    status,
    brokenVersions: ['5'],
  });
}

beforeEach(() => {
  for (const client of [sagemaker, s3, ssm, eks]) client.reset();
});
afterEach(async () => cluster?.stop());

describe('EKS bearer token', () => {
  test('is a presigned STS GetCallerIdentity URL that signs the cluster name, base64url behind k8s-aws-v1.', async () => {
    const token = await eksToken(CLUSTER, 'eu-west-1', EXAMPLE_CREDENTIALS, new Date('2026-11-30T01:00:00Z'));
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
    expect(outcome).toMatchObject({ kind: 'started', model: 'churn-classifier', from: 3, to: 4, signals: 'unchecked' });
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
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "model-server-x" has timed out progressing.' },
      ],
    };
    await startCluster('5', '3', failed);
    registry([3, 5], '5');
    const outcome = await handler()(approvalEvent({ version: 5 }));
    expect(cluster.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body))).toEqual([patchBody('5', '3')]);
    expect(outcome).toMatchObject({ kind: 'rolled-back', failed: 5, servedVersion: 3 });
    expect(pinsWritten()).toEqual(['3']);
  });

  test("no verdict before the function's deadline: rolled back to the version still serving", async () => {
    await startCluster('3');
    registry([3, 5], '3');
    // First invocation times out before a verdict (deadline already passed), and rolls back at once.
    const impatient = rolloutHandlerFor(
      TARGETS,
      kubernetesDeps({ kubernetesWatch: { pollSeconds: 1, deadline: () => Date.now(), sleep: async () => undefined } }),
    );
    const outcome = await impatient(approvalEvent({ version: 5 }));
    expect(outcome).toMatchObject({ kind: 'rolled-back', failed: 5, servedVersion: 3 });
    expect((outcome as { reason: string }).reason).toMatch(/no verdict before the function's deadline/);
  });

  test('a failing metrics query neither rolls back nor holds the rollout: it completes, reported unchecked with the error', async () => {
    await startCluster('3');
    registry([3, 4], '3');
    const run = rolloutHandlerFor(
      TARGETS,
      kubernetesDeps({
        servingSignals: async () => {
          throw new Error('Prometheus query ...: HTTP 403: User is not authorized to perform aps:QueryMetrics');
        },
      }),
    );
    const outcome = await run(approvalEvent({ version: 4 }));
    expect(outcome).toMatchObject({ kind: 'started', to: 4, signals: 'unchecked' });
    expect((outcome as { detail: string }).detail).toMatch(/unchecked .*last query error: .*HTTP 403/);
    expect(pinsWritten()).toEqual(['4']);
  });

  test('an API error names the request and the status', async () => {
    await startCluster('3');
    registry([3, 4], '3');
    const wrongNamespace: RolloutTargets = {
      'churn-classifier': { ...TARGETS['churn-classifier'], target: { ...TARGETS['churn-classifier'].target, namespace: 'other' } as never },
    };
    const run = rolloutHandlerFor(wrongNamespace, kubernetesDeps({ kubernetesWatch: { pollSeconds: 0, deadline: () => Date.now() + 60_000 } }));
    await expect(run(approvalEvent({ version: 4 }))).rejects.toThrow(/GET \/apis\/apps\/v1\/namespaces\/other\/deployments\/model-server: HTTP 404/);
  });
});
