/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The drift loop end to end on loopback: the real serving container (HTTP, onnxruntime, the digits MLP) loads its
// model from s3rver and captures every request to s3rver under concurrent load; the drift detector reads that capture
// against the model version's baseline. Shifted inputs emit DriftDetected naming exactly the shifted features;
// unshifted inputs emit nothing. EventBridge is the one AWS service without a local server: PutEvents is mocked and
// its request checked against the documented shape, and the delivered event parsed with the schema start-training uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { detectDrift } from '../../../lambdas/drift-detector/detect-drift';
import { buildDriftBaseline } from '../../../lib/drift';
import { driftDetectedEventSchema } from '../../../lib/events';
import { HttpServingServer } from '../../../serving/src/adapters/http-server';
import { createServingApp, type ServingApp } from '../../../serving/src/app';
import { httpLimitsOf, loadSettings } from '../../../serving/src/settings';
import { deliveredEvent, putEventsProblems } from '../../support/eventbridge-put-events';
import { startS3rver, type S3rverFixture } from '../../support/s3rver';
import { memoryLogger } from '../serving/support/test-server';

const ROOT = join(__dirname, '..', '..', '..');
const MODEL = 'digits-mlp';
const SILVER = 'silver';
const REPOSITORY = 'repository';
const reference = JSON.parse(readFileSync(join(ROOT, 'serving/reference-data/digits-mlp.expected.json'), 'utf8')) as { inputName: string; inputs: number[][] };
const onnx = readFileSync(join(ROOT, 'serving/models/digits-mlp/1/model.onnx'));
/** Pixels that the shifted traffic brightens: only these may be reported. */
const SHIFTED = [19, 20, 27, 28];
const shifted = (row: number[]) => row.map((v, i) => (SHIFTED.includes(i) ? Math.min(16, v + 8) : v));
const featureName = (column: number) => `pixel_${String(column).padStart(2, '0')}`;

const eventBridge = mockClient(EventBridgeClient);
const savedEnv = { ...process.env };
let s3rver: S3rverFixture;
let app: ServingApp;
let http: HttpServingServer;
let url: string;

async function putVersion(version: string): Promise<void> {
  const prefix = `models/${MODEL}/${version}/`;
  await s3rver.s3.send(new PutObjectCommand({ Bucket: REPOSITORY, Key: `${prefix}config.json`, Body: JSON.stringify({ maxBatchSize: 8 * Number(version) }) }));
  await s3rver.s3.send(new PutObjectCommand({ Bucket: REPOSITORY, Key: `${prefix}drift-baseline.json`, Body: JSON.stringify(baseline(version)) }));
  await s3rver.s3.send(new PutObjectCommand({ Bucket: REPOSITORY, Key: `${prefix}model.onnx`, Body: onnx }));
}

function baseline(version: string) {
  return buildDriftBaseline({
    source: 'serving/reference-data/digits-mlp.expected.json',
    model: MODEL,
    modelVersion: version,
    inputTensor: reference.inputName,
    inputColumns: 64,
    columns: Array.from({ length: 64 }, (_, column) => ({ name: featureName(column), column, values: reference.inputs.map((row) => row[column]) })),
  });
}

/** Sends every row once, one row per request, 16 requests in flight; returns the statuses. */
async function load(rows: number[][]): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      const response = await fetch(`${url}/v2/models/${MODEL}/infer`, {
        method: 'POST',
        body: JSON.stringify({ inputs: [{ name: reference.inputName, shape: [1, 64], datatype: 'FP32', data: row }] }),
      });
      await response.text();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: 16 }, client));
  return statuses;
}

async function runDetector(): Promise<{ outcomes: unknown; putEvents: PutEventsCommandInput[] }> {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  // The metrics (EMF on stdout) are checked in test/integration/lambdas/drift-detector; keep them out of the test log.
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const outcomes = await detectDrift(
    {
      s3: s3rver.s3,
      sagemaker: new SageMakerClient({ region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
      logger: new Logger({ serviceName: 'drift-detector', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'MlopsBlueprint', serviceName: 'drift-detector', singleMetric: false }),
      now: () => new Date(Date.now() + 10 * 60_000),
    },
    {
      environment: 'dev',
      models: [{ name: MODEL, psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 200 }],
      scheduleMinutes: 5,
      silverBucket: SILVER,
      baselines: {
        repositoryBucket: REPOSITORY,
        repositoryPrefix: 'models/',
        modelPackageArnPrefix: 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-',
      },
      eventBusName: 'default',
    },
  ).finally(() => quiet.mockRestore());
  return { outcomes, putEvents: eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input) };
}

beforeAll(async () => {
  s3rver = await startS3rver([SILVER, REPOSITORY]);
  Object.assign(process.env, s3rver.sdkEnvironment);
  await putVersion('1');
  const env = { CAPTURE_SAMPLE_FRACTION: `${MODEL}=1`, CAPTURE_DESTINATION: `s3://${SILVER}`, CAPTURE_FLUSH_BYTES: '65536' };
  const settings = loadSettings({
    MODEL_REPOSITORY: `s3://${REPOSITORY}/models`,
    PORT: '0',
    MODEL_POLL_INTERVAL_SECONDS: '0',
    ORT_INTRA_OP_THREADS: '1',
    S3_FORCE_PATH_STYLE: 'true',
  });
  const logger = memoryLogger();
  app = createServingApp(settings, logger, { env: { ...process.env, ...env } });
  http = new HttpServingServer(app.core, httpLimitsOf(settings), logger, app.metrics);
  const address = await http.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${address.port}`;
  await app.repository.start();
});

afterAll(async () => {
  await http?.close();
  await app?.capture?.close();
  await app?.repository.close();
  await s3rver?.stop();
  process.env = savedEnv;
});

describe('the drift loop on loopback', () => {
  it('captures every request under load, then finds drift only where the inputs shifted', async () => {
    // Version 1 sees the training distribution (every reference row, in a shuffled order).
    const unshifted = [...reference.inputs].sort((a, b) => a.join().localeCompare(b.join()));
    expect(new Set(await load(unshifted))).toEqual(new Set([200]));
    // Version 2 is promoted; its traffic has brighter pixels in the centre.
    await putVersion('2');
    expect((await app.repository.poll()).loaded).toEqual([`${MODEL}/2`]);
    expect(new Set(await load(reference.inputs.map(shifted)))).toEqual(new Set([200]));
    await app.capture!.close();
    const metrics = await app.metrics.render();
    expect(metrics.body).toMatch(new RegExp(`serving_capture_records_total\\{model="${MODEL}"\\} ${2 * reference.inputs.length}`));
    expect(metrics.body).not.toMatch(/serving_capture_dropped_total\{/);

    const { outcomes, putEvents } = await runDetector();
    expect(outcomes).toEqual([
      { model: MODEL, version: '1', kind: 'stable', rows: reference.inputs.length },
      {
        model: MODEL,
        version: '2',
        kind: 'drifted',
        rows: reference.inputs.length,
        detectionId: expect.any(String),
        emitted: true,
        features: expect.any(Array),
      },
    ]);
    // One event, for version 2, in the documented request shape; the unshifted version emitted nothing.
    expect(putEvents).toHaveLength(1);
    expect(putEventsProblems(putEvents[0])).toEqual([]);
    const event = driftDetectedEventSchema.parse(deliveredEvent(putEvents[0].Entries![0]));
    expect(event.detail.modelVersion).toBe('2');
    const reported = event.detail.driftedFeatures.map((f) => f.feature);
    // Every reported feature is a shifted one, and most shifted pixels are reported (a pixel already at 16 in most rows cannot move).
    for (const feature of reported) expect(SHIFTED.map(featureName)).toContain(feature);
    expect(reported.length).toBeGreaterThanOrEqual(SHIFTED.length - 1);
    for (const f of event.detail.driftedFeatures) expect(f.samples).toBe(reference.inputs.length);

    // A second detector run over the same capture emits nothing new.
    expect((await runDetector()).putEvents).toHaveLength(0);
  });
});
