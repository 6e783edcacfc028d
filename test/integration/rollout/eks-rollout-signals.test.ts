// An EKS rollout judged on the error-rate and latency signals of a REAL Prometheus: metrics of a healthy, an erroring
// and a slow model version are backfilled with promtool (the series and labels the serving container exposes), and the
// rollout function's signed query client reads them through the HTTP API, deciding rollback or completion while a
// stand-in Kubernetes API server runs the rolling update. The SigV4 request is checked against AWS's documented
// algorithm, recomputed here from what reached the server.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EKSClient } from '@aws-sdk/client-eks';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListModelPackagesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { servingAlertRules } from '../../../constructs/operations/serving-alert-rules';
import { createPrometheusQuery, signedQueryRequest } from '../../../lambdas/rollout-model/prometheus-query';
import { prometheusSignalReader } from '../../../lambdas/rollout-model/serving-signal-check';
import {
  PREVIOUS_VERSION_ANNOTATION,
  ROLLED_BACK_VERSIONS_ANNOTATION,
  SERVED_VERSION_ANNOTATION,
  type RolloutSignals,
  type RolloutTargets,
} from '../../../lib/rollout';
import { SERVING_PROMETHEUS_METRICS as M } from '../../../serving/src/metric-names';
import { LocalPrometheus } from '../../support/prometheus';
import type { FakeKubernetesApi } from '../../support/fake-kubernetes-api';
import { approvalEvent, GROUP } from '../../unit/lambdas/promote-model/fixtures';
import { approvedPackages, EXAMPLE_CREDENTIALS, exampleKubernetesApis, rolloutHandlerFor, startFakeCluster } from '../../unit/lambdas/rollout-model/fixtures';

const MODEL = 'churn-classifier';
const CLUSTER = 'mlops-dev-serving-cluster';
const NAMESPACE = 'serving-churn-classifier';
const PIN = '/mlops/dev/serving/churn-classifier/served-version';
/** The model's p99 objective: 100 ms. */
const SIGNALS: RolloutSignals = { p99LatencyMs: 100, errorRateThresholdPercent: 1, bakeSeconds: 60, evaluationsToRollBack: 3 };
const POLL_SECONDS = 10;

/** What each backfilled series answered: requests per 15 s scrape by status, and the latency of every success. */
interface BackfilledVersion {
  readonly model: string;
  readonly version: number;
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
}
const BACKFILLED: readonly BackfilledVersion[] = [
  { model: MODEL, version: 3, ok: 150, failed: 0, seconds: 0.02 }, // serving before the rollouts
  { model: MODEL, version: 4, ok: 150, failed: 0, seconds: 0.02 }, // healthy: no 5XX, p99 under 25 ms
  { model: MODEL, version: 5, ok: 120, failed: 30, seconds: 0.02 }, // 20% answered 500
  { model: MODEL, version: 6, ok: 150, failed: 0, seconds: 0.4 }, // p99 about 0.5 s, five times the objective
  // version 7: approved, has not answered a request yet (no series)
  { model: 'fraud-scorer', version: 1, ok: 100, failed: 50, seconds: 0.4 }, // a model failing as a whole, for the alert rules
];
const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** OpenMetrics text for the 10 minutes before `endSeconds`, one sample every 15 s, as scrapes of the serving container store it. */
function openMetrics(versions: readonly BackfilledVersion[], endSeconds: number): string {
  const times = Array.from({ length: 40 }, (_, i) => endSeconds - 585 + i * 15);
  const series = (name: string, labels: string, perScrape: number) => times.map((t, i) => `${name}{${labels}} ${+(i * perScrape).toFixed(6)} ${t}`);
  const lines = ['# TYPE serving_requests counter'];
  for (const { model, version, ok, failed } of versions) {
    lines.push(...series(M.requests, `model="${model}",version="${version}",status="200"`, ok));
    if (failed > 0) lines.push(...series(M.requests, `model="${model}",version="${version}",status="500"`, failed));
  }
  lines.push(`# TYPE ${M.requestDuration} histogram`);
  for (const { model, version, ok, seconds } of versions) {
    const labels = `model="${model}",version="${version}"`;
    for (const le of [...BUCKETS.map(String), '+Inf'])
      lines.push(...series(`${M.requestDuration}_bucket`, `${labels},le="${le}"`, le === '+Inf' || Number(le) >= seconds ? ok : 0));
    lines.push(...series(`${M.requestDuration}_count`, labels, ok), ...series(`${M.requestDuration}_sum`, labels, ok * seconds));
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

let prometheus: LocalPrometheus;
const queryUrl = () => `${prometheus.url}/api/v1/query`;

beforeAll(async () => {
  prometheus = await LocalPrometheus.start({ global: { scrape_interval: '15s' } }, { backfill: openMetrics(BACKFILLED, Math.floor(Date.now() / 1000) - 5) });
}, 60_000);
afterAll(async () => prometheus?.stop());

describe('SigV4 query request to Amazon Managed Prometheus', () => {
  const signingDate = () => new Date('2026-11-30T01:00:00Z');

  test('POSTs the form-encoded query to the workspace endpoint, signed for service aps in the workspace region', async () => {
    const url = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/api/v1/query';
    const signed = await signedQueryRequest({ url, region: 'eu-west-1', credentials: EXAMPLE_CREDENTIALS, signingDate }, 'up');
    expect(signed).toMatchObject({
      method: 'POST',
      hostname: 'aps-workspaces.eu-west-1.amazonaws.com',
      path: '/workspaces/ws-0123/api/v1/query',
      body: 'query=up',
    });
    expect(signed.headers).toMatchObject({
      host: 'aps-workspaces.eu-west-1.amazonaws.com',
      'content-type': 'application/x-www-form-urlencoded',
      'x-amz-date': '20261130T010000Z',
    });
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261130\/eu-west-1\/aps\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  test('the signature on the wire is the one AWS documents (canonical request → string to sign → derived key), temporary credentials included', async () => {
    const received: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: string }> = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":{"resultType":"vector","result":[]}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const credentials = { ...EXAMPLE_CREDENTIALS, sessionToken: 'session-token-example' };
      const port = (server.address() as AddressInfo).port;
      const query = createPrometheusQuery({ url: `http://127.0.0.1:${port}/workspaces/ws-0123/api/v1/query`, region: 'eu-west-1', credentials, signingDate });
      await expect(query('sum(rate(serving_requests_total{model="a b"}[5m]))')).resolves.toEqual([]);

      const [request] = received;
      expect(request).toMatchObject({ method: 'POST', path: '/workspaces/ws-0123/api/v1/query' });
      expect(new URLSearchParams(request.body).get('query')).toBe('sum(rate(serving_requests_total{model="a b"}[5m]))');
      const authorization =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
          String(request.headers.authorization),
        );
      expect(authorization).not.toBeNull();
      const [, accessKey, day, region, service, signedHeaders, signature] = authorization!;
      expect([accessKey, day, region, service]).toEqual(['AKIDEXAMPLE', '20261130', 'eu-west-1', 'aps']);
      expect(signedHeaders).toBe('content-type;host;x-amz-date;x-amz-security-token');
      expect(request.headers['x-amz-security-token']).toBe('session-token-example');
      expect(request.headers.host).toBe(`127.0.0.1:${port}`);

      // AWS General Reference, "Create a signed AWS API request" (Signature Version 4), from what reached the server.
      const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
      const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
      const names = signedHeaders.split(';');
      const canonicalRequest = [
        request.method,
        request.path,
        '',
        ...names.map((name) => `${name}:${String(request.headers[name]).trim()}`),
        '',
        signedHeaders,
        sha256(request.body),
      ].join('\n');
      const amzDate = String(request.headers['x-amz-date']);
      expect(amzDate).toBe('20261130T010000Z');
      const scope = `${day}/${region}/${service}/aws4_request`;
      const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
      const key = hmac(hmac(hmac(hmac(`AWS4${EXAMPLE_CREDENTIALS.secretAccessKey}`, day), region), service), 'aws4_request');
      expect(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')).toBe(signature);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a query Prometheus refuses fails with its own error and the HTTP status', async () => {
    const query = createPrometheusQuery({ url: queryUrl(), region: 'us-east-1', credentials: EXAMPLE_CREDENTIALS });
    await expect(query('sum(rate(')).rejects.toThrow(/Prometheus query sum\(rate\(: HTTP 400: .*parse error/);
  });
});

describe('the signals of one model version, read from a real Prometheus', () => {
  const read = () => prometheusSignalReader(createPrometheusQuery({ url: queryUrl(), region: 'us-east-1', credentials: EXAMPLE_CREDENTIALS }));
  const valueOf = (reading: Awaited<ReturnType<ReturnType<typeof read>>>, signal: string) =>
    reading.kind === 'measured' ? reading.values.find((v) => v.signal === signal)?.value : undefined;

  test('healthy version: traffic, no 5XX (error rate 0), p99 under the objective', async () => {
    const reading = await read()(MODEL, 4, SIGNALS);
    expect(reading.kind).toBe('measured');
    expect(valueOf(reading, 'error-rate')).toBe(0);
    expect(valueOf(reading, 'p99-latency')).toBeLessThanOrEqual(0.025);
  });

  test('erroring version: 20% of its requests answered 500, only its own requests counted', async () => {
    expect(valueOf(await read()(MODEL, 5, SIGNALS), 'error-rate')).toBeCloseTo(0.2, 5);
  });

  test('slow version: p99 between 0.25 and 0.5 s, above the 100 ms objective', async () => {
    const p99 = valueOf(await read()(MODEL, 6, SIGNALS), 'p99-latency')!;
    expect(p99).toBeGreaterThan(0.25);
    expect(p99).toBeLessThanOrEqual(0.5);
  });

  test('a version that answered nothing yet has no traffic', async () => {
    await expect(read()(MODEL, 7, SIGNALS)).resolves.toEqual({ kind: 'no-traffic' });
  });

  test('the alert rules, built from the same expressions for the whole model, fire on the failing model only', async () => {
    const rules = servingAlertRules([
      { modelName: 'fraud-scorer', target: 'eks', p99LatencyMs: 100 },
      { modelName: 'other-model', target: 'eks', p99LatencyMs: 100 },
    ]).filter((rule) => rule.alert !== 'ServingModelLoadFailed');
    const firing = await Promise.all(rules.map(async (rule) => [rule.alert, rule.labels!.model, (await prometheus.query(rule.expr)).length] as const));
    expect(firing).toEqual([
      ['ServingErrorRateHigh', 'fraud-scorer', 1],
      ['ServingLatencyAboveSlo', 'fraud-scorer', 1],
      ['ServingErrorRateHigh', 'other-model', 0],
      ['ServingLatencyAboveSlo', 'other-model', 0],
    ]);
  });
});

describe('EKS rollout with rollback on the signals (stand-in Kubernetes API, real Prometheus)', () => {
  const sagemaker = mockClient(SageMakerClient);
  const s3 = mockClient(S3Client);
  const ssm = mockClient(SSMClient);
  const eks = mockClient(EKSClient);
  const TARGETS: RolloutTargets = {
    [MODEL]: {
      modelPackageGroup: GROUP,
      pinParameter: PIN,
      target: { kind: 'kubernetes', clusterName: CLUSTER, namespace: NAMESPACE, deployment: 'model-server', containerName: 'server', signals: SIGNALS },
    },
  };
  let cluster: FakeKubernetesApi;
  /** The function's clock: each poll's sleep moves it, so a bake takes no real time. */
  let clock: number;
  let signalReads: number;

  function handler() {
    const reader = prometheusSignalReader(createPrometheusQuery({ url: queryUrl(), region: 'us-east-1', credentials: EXAMPLE_CREDENTIALS }));
    const start = clock;
    return rolloutHandlerFor(TARGETS, {
      kubernetes: exampleKubernetesApis(),
      kubernetesWatch: { pollSeconds: POLL_SECONDS, deadline: () => start + 14 * 60_000, now: () => clock, sleep: async (ms) => void (clock += ms) },
      servingSignals: async (...args) => {
        signalReads++;
        return reader(...args);
      },
    });
  }

  async function startCluster(served: string, annotations: Record<string, string> = {}) {
    cluster = await startFakeCluster(eks, CLUSTER, NAMESPACE, { served, annotations });
  }

  function registry(approved: number[], pin: string) {
    sagemaker.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: approvedPackages(GROUP, approved) });
    s3.on(HeadObjectCommand).resolves({ ETag: '"e"' });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PIN, Value: pin } });
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
  }

  const patches = () =>
    cluster.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body) as { metadata: { annotations: Record<string, string> } });
  const pinsWritten = () => ssm.commandCalls(PutParameterCommand).map((call) => call.args[0].input.Value);
  const servedNow = () => cluster.current.spec.template.metadata.annotations[SERVED_VERSION_ANNOTATION];

  beforeEach(() => {
    for (const client of [sagemaker, s3, ssm, eks]) client.reset();
    clock = Date.parse('2026-11-30T03:00:00Z');
    signalReads = 0;
  });
  afterEach(async () => cluster?.stop());

  test('healthy version: the rolling update completes, the bake passes with traffic checked, the pin moves', async () => {
    await startCluster('3');
    registry([3, 4], '3');
    const started = clock;
    const outcome = await handler()(approvalEvent({ version: 4 }));
    expect(outcome).toMatchObject({ kind: 'started', from: 3, to: 4, signals: 'healthy' });
    expect(clock - started).toBeGreaterThanOrEqual(SIGNALS.bakeSeconds * 1000);
    expect(patches()).toHaveLength(1);
    expect(servedNow()).toBe('4');
    expect(pinsWritten()).toEqual(['4']);
  });

  test('error rate above 1% at 3 consecutive checks: rolled back to the version still serving, recorded, never rolled forward again', async () => {
    await startCluster('3');
    registry([3, 5], '3');
    const outcome = await handler()(approvalEvent({ version: 5 }));
    expect(outcome).toMatchObject({ kind: 'rolled-back', failed: 5, servedVersion: 3, signal: 'error-rate' });
    expect((outcome as { reason: string }).reason).toBe('error-rate 20% above 1% of requests answered with a 5XX at 3 consecutive checks');
    expect(signalReads).toBe(3);
    expect(patches()).toEqual([
      expect.objectContaining({ metadata: { annotations: { [PREVIOUS_VERSION_ANNOTATION]: '3' } } }),
      {
        metadata: { annotations: { [PREVIOUS_VERSION_ANNOTATION]: '5', [ROLLED_BACK_VERSIONS_ANNOTATION]: '5' } },
        spec: { template: { metadata: { annotations: { [SERVED_VERSION_ANNOTATION]: '3' } } } },
      },
    ]);
    expect(servedNow()).toBe('3');
    expect(pinsWritten()).toEqual([]);

    // The version stays Approved in the registry; the next event of the model does not roll it out again (it sees the
    // rollback's own rolling update through to the end instead).
    const again = await handler()(approvalEvent({ version: 5 }));
    expect(again).toMatchObject({ kind: 'started', from: 5, to: 3 });
    expect(patches()).toHaveLength(2);
    expect(servedNow()).toBe('3');
  });

  test('p99 latency above the model objective: rolled back, the list of rolled-back versions keeps earlier ones', async () => {
    await startCluster('3', { [ROLLED_BACK_VERSIONS_ANNOTATION]: '5' });
    registry([3, 5, 6], '3');
    const outcome = await handler()(approvalEvent({ version: 6 }));
    expect(outcome).toMatchObject({ kind: 'rolled-back', failed: 6, servedVersion: 3, signal: 'p99-latency' });
    expect((outcome as { reason: string }).reason).toMatch(/^p99-latency \d+(\.\d+)? ms above its 100 ms p99 objective at 3 consecutive checks$/);
    expect(patches().at(-1)!.metadata.annotations[ROLLED_BACK_VERSIONS_ANNOTATION]).toBe('5,6');
    expect(servedNow()).toBe('3');
  });

  test('no data yet: neither rollback nor verdict until the bake ends, then complete and reported unchecked', async () => {
    await startCluster('3');
    registry([3, 7], '3');
    const started = clock;
    const outcome = await handler()(approvalEvent({ version: 7 }));
    // Every poll read the signals: 2 during the rolling update, then one per 10 s until the 60 s bake had passed.
    expect(signalReads).toBe(2 + SIGNALS.bakeSeconds / POLL_SECONDS);
    expect(clock - started).toBe((1 + SIGNALS.bakeSeconds / POLL_SECONDS) * POLL_SECONDS * 1000);
    expect(outcome).toMatchObject({ kind: 'started', to: 7, signals: 'unchecked' });
    expect((outcome as { detail: string }).detail).toMatch(/version 7 unchecked during the rollout and the 60 s bake: no request reached it$/);
    expect(patches()).toHaveLength(1);
    expect(pinsWritten()).toEqual(['7']);
  });
});
