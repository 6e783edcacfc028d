import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { buildDriftBaseline } from '../../../../lib/drift';
import { evaluateRun, type EvaluateEvent } from '../../../../lambdas/training-steps/evaluate-run';
import type { PipelineConfig } from '../../../../lambdas/training-steps/pipeline-config';
import { validateInput } from '../../../../lambdas/training-steps/validate-input';
import { tarGz } from '../../../unit/lambdas/promote-model/archive-fixtures';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';

const SILVER = 'silver';
const GOLD = 'gold';
const config: PipelineConfig = {
  environment: 'dev',
  model: 'churn-classifier',
  inputBucket: SILVER,
  inputPrefix: 'datasets/dataset=customer-events/',
  outputBucket: GOLD,
  image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/mlops-reference-trainer@sha256:${'a'.repeat(64)}`,
  hyperparameters: { epochs: '20', seed: '42' },
  evaluationGate: { metric: 'validation:auc', comparison: '>=', threshold: 0.75 },
};
const RUN = 'manual-0123456789';

let fixture: S3rverFixture;
const text = async (bucket: string, key: string) => await (await fixture.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

beforeAll(async () => {
  fixture = await startS3rver([SILVER, GOLD]);
  for (const day of ['2026-11-01', '2026-11-02']) {
    await fixture.s3.send(
      new PutObjectCommand({ Bucket: SILVER, Key: `datasets/dataset=customer-events/ingest_date=${day}/obj-${day}.parquet`, Body: `parquet ${day}` }),
    );
  }
  await fixture.s3.send(new PutObjectCommand({ Bucket: SILVER, Key: 'datasets/dataset=other/ingest_date=2026-11-01/x.parquet', Body: 'other' }));
});

afterAll(async () => {
  await fixture.stop();
});

describe('validate: fails fast before any GPU starts (s3rver)', () => {
  test("a valid input lists the dataset, writes its manifest and names the run's prefixes", async () => {
    const result = await validateInput(fixture.s3, config, { runId: RUN, trigger: 'manual', hyperparameters: { epochs: '3' }, commitId: 'abc123' });
    expect(result).toMatchObject({
      valid: true,
      jobNamePrefix: `churn-classifier-${RUN}`,
      trainingDataUri: 's3://silver/datasets/dataset=customer-events/',
      outputUri: `s3://gold/model-artifacts/churn-classifier/runs/${RUN}/`,
      checkpointUri: `s3://gold/model-artifacts/churn-classifier/checkpoints/${RUN}/`,
      hyperparameters: { epochs: '3', seed: '42' },
      commitId: 'abc123',
      inputObjectCount: 2,
      inputManifestUri: `s3://gold/model-artifacts/churn-classifier/runs/${RUN}/input-manifest.json`,
    });
    const manifest = JSON.parse(await text(GOLD, `model-artifacts/churn-classifier/runs/${RUN}/input-manifest.json`));
    expect(manifest.objects.map((o: { key: string }) => o.key)).toEqual([
      'datasets/dataset=customer-events/ingest_date=2026-11-01/obj-2026-11-01.parquet',
      'datasets/dataset=customer-events/ingest_date=2026-11-02/obj-2026-11-02.parquet',
    ]);
    expect(manifest.objects[0].etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  test.each<[string, unknown, RegExp]>([
    [
      "a dataset outside the model's prefix",
      { runId: RUN, trigger: 'manual', trainingDataUri: 's3://silver/datasets/dataset=other/' },
      /trainingDataUri s3:\/\/silver\/datasets\/dataset=other\/ is outside s3:\/\/silver\/datasets\/dataset=customer-events\//,
    ],
    [
      'a path escaping the prefix',
      { runId: RUN, trigger: 'manual', trainingDataUri: 's3://silver/datasets/dataset=customer-events/../dataset=other/' },
      /is outside/,
    ],
    [
      'an empty dataset',
      { runId: RUN, trigger: 'manual', trainingDataUri: 's3://silver/datasets/dataset=customer-events/ingest_date=2030-01-01/' },
      /holds no object: nothing to train on/,
    ],
    ['a number as hyperparameter', { runId: RUN, trigger: 'manual', hyperparameters: { epochs: 3 } }, /^hyperparameters\.epochs: .*expected string/],
    ['a run id start-training would never make', { runId: 'x', trigger: 'manual' }, /^runId: a run id such as manual-0123456789/],
    ['an unknown key', { runId: RUN, trigger: 'manual', image: 'evil:latest' }, /Unrecognized key: "image"/],
  ])('refuses %s with a precise cause', async (_name, input, cause) => {
    const result = await validateInput(fixture.s3, config, input);
    expect(result.valid).toBe(false);
    expect(!result.valid && result.problems).toMatch(cause);
  });

  test('refuses a tag-pinned image even if the config were bypassed', async () => {
    const result = await validateInput(
      fixture.s3,
      { ...config, image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/trainer:latest' },
      { runId: RUN, trigger: 'manual' },
    );
    expect(!result.valid && result.problems).toMatch(/is not pinned by digest/);
  });
});

describe('evaluate: the gate on the report inside model.tar.gz (s3rver)', () => {
  const baseline = JSON.stringify(
    buildDriftBaseline({
      columns: [{ name: 'tenure_months', column: 0, values: [1, 2, 3, 4, 5, 6] }],
      inputTensor: 'input',
      source: 's3://silver/datasets/',
      createdAt: new Date('2026-11-29T00:00:00Z'),
    }),
  );
  const report = (auc: number) => JSON.stringify({ schemaVersion: '1', metrics: { 'validation:auc': auc, 'validation:loss': 0.41 }, evaluationRows: 400 });
  const event = (run: string): EvaluateEvent => ({
    validation: {
      runId: run,
      trigger: 'manual',
      reason: 'manual',
      hyperparameters: { epochs: '3' },
      inputManifestUri: `s3://gold/model-artifacts/churn-classifier/runs/${run}/input-manifest.json`,
      inputManifestSha256: 'f'.repeat(64),
      inputObjectCount: 2,
    },
    training: {
      modelArtifactUri: `s3://gold/model-artifacts/churn-classifier/runs/${run}/churn-classifier-${run}-0/output/model.tar.gz`,
      trainingJobName: `churn-classifier-${run}-0`,
    },
  });
  async function putArchive(run: string, entries: Array<{ name: string; body: string }>) {
    await fixture.s3.send(
      new PutObjectCommand({
        Bucket: GOLD,
        Key: `model-artifacts/churn-classifier/runs/${run}/churn-classifier-${run}-0/output/model.tar.gz`,
        Body: await tarGz(entries),
      }),
    );
  }

  test('a passing run unpacks the report and baseline beside the archive and returns the lineage metadata', async () => {
    const run = 'manual-aaaaaaaaaa';
    await putArchive(run, [
      { name: './model.onnx', body: 'onnx bytes' },
      { name: './config.json', body: '{}' },
      { name: './evaluation.json', body: report(0.83) },
      { name: './drift-baseline.json', body: baseline },
    ]);
    const result = await evaluateRun(fixture.s3, config, event(run));
    expect(result).toEqual({
      passed: true,
      reason: 'evaluation gate validation:auc >= 0.75 passed: validation:auc = 0.83',
      metrics: { 'validation:auc': 0.83, 'validation:loss': 0.41 },
      modelDataUrl: event(run).training.modelArtifactUri,
      evaluationReportUri: `s3://gold/model-artifacts/churn-classifier/runs/${run}/evaluation.json`,
      driftBaselineUri: `s3://gold/model-artifacts/churn-classifier/runs/${run}/drift-baseline.json`,
      customerMetadata: expect.objectContaining({
        run,
        imageDigest: `sha256:${'a'.repeat(64)}`,
        hyperparameters: '{"epochs":"3"}',
        inputObjectCount: '2',
        trainingJob: `churn-classifier-${run}-0`,
      }),
    });
    expect(await text(GOLD, `model-artifacts/churn-classifier/runs/${run}/evaluation.json`)).toBe(report(0.83));
    expect(await text(GOLD, `model-artifacts/churn-classifier/runs/${run}/drift-baseline.json`)).toBe(baseline);
    for (const value of Object.values(result.passed ? result.customerMetadata : {})) expect(value.length).toBeLessThanOrEqual(256);
  });

  test('a missed gate fails the run with the figures', async () => {
    const run = 'manual-bbbbbbbbbb';
    await putArchive(run, [
      { name: 'evaluation.json', body: report(0.6) },
      { name: 'drift-baseline.json', body: baseline },
    ]);
    expect(await evaluateRun(fixture.s3, config, event(run))).toEqual({
      passed: false,
      reason: 'evaluation gate validation:auc >= 0.75 failed: validation:auc = 0.6 (reported metrics: validation:auc=0.6, validation:loss=0.41)',
    });
  });

  test('an archive without the report, or with a baseline that is not one, fails the run naming the file', async () => {
    const missing = 'manual-cccccccccc';
    await putArchive(missing, [{ name: 'model.onnx', body: 'x' }]);
    expect(await evaluateRun(fixture.s3, config, event(missing))).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/holds no evaluation\.json and no drift-baseline\.json at its root$/),
    });
    const garbled = 'manual-dddddddddd';
    await putArchive(garbled, [
      { name: 'evaluation.json', body: report(0.9) },
      { name: 'drift-baseline.json', body: '{"formatVersion": "1"}' },
    ]);
    expect(await evaluateRun(fixture.s3, config, event(garbled))).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^Invalid drift baseline drift-baseline\.json: /),
    });
  });
});
