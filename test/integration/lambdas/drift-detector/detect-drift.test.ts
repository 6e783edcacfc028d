// The drift detector against s3rver (capture, baselines, state) with capture files written by the serving container's
// own InferenceCapture; SageMaker and EventBridge mocked, requests checked against their documented shapes.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { Registry } from 'prom-client';
import { detectDrift, DriftCheckFailedError, type DetectorConfig } from '../../../../lambdas/drift-detector/detect-drift';
import { buildDriftBaseline, DRIFT_METRICS, type DriftBaseline } from '../../../../lib/drift';
import { driftDetectedEventSchema } from '../../../../lib/events';
import { driftWatermarkKey } from '../../../../lib/lakehouse';
import { CaptureMetrics } from '../../../../serving/src/capture/capture-metrics';
import { loadCaptureSettings } from '../../../../serving/src/capture/capture-settings';
import { S3CaptureWriter } from '../../../../serving/src/capture/capture-writer';
import { InferenceCapture } from '../../../../serving/src/capture/inference-capture';
import { deliveredEvent, putEventsProblems } from '../../../support/eventbridge-put-events';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';
import { memoryLogger } from '../../serving/support/test-server';
import { captureEmf } from '../../../support/emf';

const SILVER = 'silver';
const REPOSITORY = 'repository';
const GOLD = 'gold';
const MODEL = 'churn';
const PACKAGE_PREFIX = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-';

/** A small deterministic generator (mulberry32) and the three reference features. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function rows(n: number, seed: number, shift: { f1?: number } = {}): number[][] {
  const r = random(seed);
  return Array.from({ length: n }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return [Math.fround(normal), Math.fround(r() * 10 + (shift.f1 ?? 0)), Math.floor(r() * 5)];
  });
}
function baselineOf(reference: number[][], version: string): DriftBaseline {
  return buildDriftBaseline({
    source: 'test',
    inputTensor: 'input',
    model: MODEL,
    modelVersion: version,
    columns: ['f0', 'f1', 'f2'].map((name, column) => ({ name, column, values: reference.map((row) => row[column]) })),
  });
}

const eventBridge = mockClient(EventBridgeClient);
const sagemaker = mockClient(SageMakerClient);
let fixture: S3rverFixture;
const reference = rows(2000, 1);
const thresholds = { psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 1000 };
const config: DetectorConfig = {
  environment: 'dev',
  models: [{ name: MODEL, ...thresholds }],
  scheduleMinutes: 5,
  silverBucket: SILVER,
  baselines: { repositoryBucket: REPOSITORY, repositoryPrefix: 'models/', modelPackageArnPrefix: PACKAGE_PREFIX },
  eventBusName: 'default',
};
const later = () => new Date(Date.now() + 10 * 60_000);

/** Writes requests through the serving container's capture (real gzip JSON Lines on s3rver), 25 rows per request. */
async function capture(version: string, data: number[][], extraLines: string[] = []): Promise<void> {
  await fixture.s3.send(new PutObjectCommand({ Bucket: REPOSITORY, Key: `models/${MODEL}/${version}/model.onnx`, Body: 'onnx' }));
  const writer = new S3CaptureWriter(fixture.s3, SILVER, '');
  const inference = new InferenceCapture({
    settings: loadCaptureSettings({ CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_DESTINATION: `s3://${SILVER}` }),
    writer,
    metrics: new CaptureMetrics(new Registry()),
    logger: memoryLogger(),
    mode: 'on-demand',
  });
  for (let i = 0; i < data.length; i += 25) {
    const batch = data.slice(i, i + 25);
    const request = JSON.stringify({ inputs: [{ name: 'input', shape: [batch.length, 3], datatype: 'FP32', data: batch.flat() }] });
    inference.offer(MODEL, version, `r${i}`, request, '{"outputs":[]}');
  }
  for (const line of extraLines) inference.offer(MODEL, version, 'bad', line, '{}');
  await inference.close();
}

async function run(now: Date) {
  const emf = captureEmf();
  const logger = new Logger({ serviceName: 'drift-detector', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'MlopsBlueprint', serviceName: 'drift-detector' });
  try {
    const deps = {
      s3: fixture.s3,
      sagemaker: new SageMakerClient({ region: 'us-east-1' }),
      eventBridge: new EventBridgeClient({ region: 'us-east-1' }),
      logger,
      metrics,
      now: () => now,
    };
    const outcomes = await detectDrift(deps, config).catch((error: unknown) => error);
    return { outcomes, emf: emf.documents };
  } finally {
    emf.stop();
  }
}

const putEventsInputs = () => eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input);

beforeAll(async () => {
  fixture = await startS3rver([SILVER, REPOSITORY, GOLD]);
  for (const version of ['1', '2', '3']) {
    await fixture.s3.send(
      new PutObjectCommand({ Bucket: REPOSITORY, Key: `models/${MODEL}/${version}/drift-baseline.json`, Body: JSON.stringify(baselineOf(reference, version)) }),
    );
  }
  // Version 4's baseline is only in the registry: the package's DriftCheckBaselines points into gold.
  await fixture.s3.send(
    new PutObjectCommand({ Bucket: GOLD, Key: 'model-artifacts/churn/run-4/drift-baseline.json', Body: JSON.stringify(baselineOf(reference, '4')) }),
  );
  await capture('1', rows(1500, 2), ['{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP32","data":[1,2]}]}']);
  await capture('2', rows(1500, 3, { f1: 3 }));
  await capture('3', rows(50, 4));
  await capture('4', rows(1200, 5));
});

afterAll(async () => {
  await fixture.stop();
});

function resetMocks(): void {
  eventBridge.reset();
  sagemaker.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: `${PACKAGE_PREFIX}churn/4` }).resolves({
    DriftCheckBaselines: {
      ModelDataQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${GOLD}/model-artifacts/churn/run-4/drift-baseline.json` } },
    },
  });
}

describe('drift detector', () => {
  let first: Awaited<ReturnType<typeof run>>;
  const now = later();

  let firstPutEvents: PutEventsCommandInput[];

  beforeAll(async () => {
    resetMocks();
    first = await run(now);
    firstPutEvents = putEventsInputs();
  });

  it('decides each version on its own window: drift on the shifted one, none on the others, nothing below minSamples', () => {
    expect(first.outcomes).toEqual([
      { model: MODEL, version: '1', kind: 'stable', rows: 1500 },
      { model: MODEL, version: '2', kind: 'drifted', rows: 1500, detectionId: expect.stringMatching(/^drift-[0-9a-f]{40}$/), emitted: true, features: ['f1'] },
      { model: MODEL, version: '3', kind: 'below-min-samples', rows: 50, minSamples: 1000 },
      { model: MODEL, version: '4', kind: 'stable', rows: 1200 },
    ]);
  });

  it('emits one DriftDetected, in the documented PutEvents shape, naming the shifted feature; start-training’s schema accepts it', () => {
    expect(firstPutEvents).toHaveLength(1);
    expect(putEventsProblems(firstPutEvents[0])).toEqual([]);
    const entry = firstPutEvents[0].Entries![0];
    expect(entry).toMatchObject({ Source: 'mlops-blueprint', DetailType: 'DriftDetected', EventBusName: 'default' });
    // What a rule target (start-training) receives, parsed with the shared schema it imports.
    const event = driftDetectedEventSchema.parse(deliveredEvent(entry));
    expect(event.detail).toMatchObject({
      environment: 'dev',
      model: MODEL,
      modelVersion: '2',
      thresholds,
      driftedFeatures: [expect.objectContaining({ feature: 'f1', samples: 1500 })],
    });
    expect(event.detail.detectionId).toBe((first.outcomes as { version: string; detectionId?: string }[])[1].detectionId);
    expect(Date.parse(event.detail.window.end)).toBeLessThanOrEqual(now.getTime());
  });

  it('publishes PSI and KS per model, version and feature, rows per version, features drifted per model (EMF)', () => {
    const metric = (name: string, dims: Record<string, string>) =>
      first.emf.filter((doc) => doc[name] !== undefined && Object.entries(dims).every(([k, v]) => doc[k] === v)).map((doc) => doc[name] as number);
    expect(metric(DRIFT_METRICS.ksStatistic, { model: MODEL, version: '2', feature: 'f1' })[0]).toBeGreaterThan(0.2);
    expect(metric(DRIFT_METRICS.psi, { model: MODEL, version: '2', feature: 'f1' })[0]).toBeGreaterThan(0.2);
    expect(metric(DRIFT_METRICS.ksStatistic, { model: MODEL, version: '1', feature: 'f0' })[0]).toBeLessThan(0.1);
    expect(metric(DRIFT_METRICS.samples, { model: MODEL, version: '1' })).toEqual([1500]);
    expect(metric(DRIFT_METRICS.featuresDrifted, { model: MODEL })).toEqual([0, 1, 0]);
    expect(metric(DRIFT_METRICS.windowsBelowMinSamples, { model: MODEL })).toEqual([1]);
    expect(metric(DRIFT_METRICS.captureRecordsRejected, { model: MODEL })).toEqual([1]);
    const doc = first.emf.find((d) => d[DRIFT_METRICS.psi] !== undefined);
    expect((doc!._aws as { CloudWatchMetrics: unknown[] }).CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'MlopsBlueprint',
      Dimensions: [expect.arrayContaining(['service', 'model', 'version', 'feature'])],
    });
  });
});

describe('drift detector: the emitted event and re-runs', () => {
  beforeEach(resetMocks);

  it('a fresh window over shifted capture emits DriftDetected in the documented shape; re-runs emit nothing new', async () => {
    await capture('5', rows(1500, 6, { f1: 3 }));
    await fixture.s3.send(
      new PutObjectCommand({ Bucket: REPOSITORY, Key: `models/${MODEL}/5/drift-baseline.json`, Body: JSON.stringify(baselineOf(reference, '5')) }),
    );
    const now = later();
    const { outcomes } = await run(now);
    expect(outcomes).toContainEqual(expect.objectContaining({ version: '5', kind: 'drifted', emitted: true, features: ['f1'] }));
    const inputs = putEventsInputs();
    expect(inputs).toHaveLength(1);
    expect(putEventsProblems(inputs[0])).toEqual([]);
    const event = driftDetectedEventSchema.parse(deliveredEvent(inputs[0].Entries![0]));
    expect(event.detail).toMatchObject({
      schemaVersion: '1',
      environment: 'dev',
      model: MODEL,
      modelVersion: '5',
      thresholds,
      driftedFeatures: [{ feature: 'f1', samples: 1500, psi: expect.any(Number), ksStatistic: expect.any(Number) }],
    });
    expect(event.detail.driftedFeatures[0].ksStatistic).toBeGreaterThan(0.1);

    // Same slot again: watermarks moved, nothing to read, nothing emitted.
    expect(await run(now)).toMatchObject({ outcomes: expect.arrayContaining([expect.objectContaining({ version: '5', kind: 'up-to-date' })]) });
    // A run that emitted but died before saving its watermark: same window, same id, the marker stops a second event.
    await fixture.s3.send(new DeleteObjectCommand({ Bucket: SILVER, Key: driftWatermarkKey(MODEL, '5') }));
    const rerun = await run(now);
    expect(rerun.outcomes).toContainEqual(expect.objectContaining({ version: '5', kind: 'drifted', emitted: false }));
    expect(putEventsInputs()).toHaveLength(1);
  });

  it('below minSamples the window stays open: rows accumulate over runs until there are enough', async () => {
    const watermark = await fixture.s3
      .send(new GetObjectCommand({ Bucket: SILVER, Key: driftWatermarkKey(MODEL, '3') }))
      .catch((error: { name: string }) => error.name);
    expect(watermark).toBe('NoSuchKey');
    await capture('3', rows(1000, 7));
    const { outcomes } = await run(later());
    expect(outcomes).toContainEqual({ model: MODEL, version: '3', kind: 'stable', rows: 1050 });
  });

  it('a version without any baseline waits and says where it looked; a refused event fails the run after checking the rest', async () => {
    await capture('6', rows(1200, 8));
    sagemaker.on(DescribeModelPackageCommand, { ModelPackageName: `${PACKAGE_PREFIX}churn/6` }).resolves({});
    await capture('7', rows(1200, 9, { f1: 5 }));
    await fixture.s3.send(
      new PutObjectCommand({ Bucket: REPOSITORY, Key: `models/${MODEL}/7/drift-baseline.json`, Body: JSON.stringify(baselineOf(reference, '7')) }),
    );
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    const { outcomes } = await run(later());
    expect(outcomes).toBeInstanceOf(DriftCheckFailedError);
    expect((outcomes as Error).message).toBe('drift check failed for churn/7: EventBridge refused the DriftDetected event: InternalFailure: try again');
    const failures = (outcomes as DriftCheckFailedError).failures;
    expect(failures).toHaveLength(1);
    // The retry (EventBridge OK now) emits it: no watermark was written for the failed window.
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-2' }] });
    const retry = await run(later());
    expect(retry.outcomes).toContainEqual(expect.objectContaining({ version: '7', kind: 'drifted', emitted: true }));
    expect(retry.outcomes).toContainEqual(
      expect.objectContaining({
        version: '6',
        kind: 'no-baseline',
        looked: [`s3://${REPOSITORY}/models/churn/6/drift-baseline.json`, `${PACKAGE_PREFIX}churn/6 DriftCheckBaselines.ModelDataQuality.Statistics`],
      }),
    );
  });
});
