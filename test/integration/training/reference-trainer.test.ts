/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The reference trainer as real processes on a SageMaker-like directory tree, fed with the Parquet the real ingest
// code writes: interrupt and resume, metric lines against the configured regexes, its ONNX served by the serving
// container, its model.tar.gz through the pipeline's gate and promotion's package check.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { processObject } from '../../../lambdas/ingest/process-object';
import { S3ObjectStore } from '../../../lambdas/ingest/s3-object-store';
import { createApprovalHandler } from '../../../lambdas/promote-model/promote-handler';
import { parseEvaluationGates } from '../../../lambdas/promote-model/evaluation-check';
import { evaluateRun } from '../../../lambdas/training-steps/evaluate-run';
import { loadEnvironment } from '../../../lib/config';
import { parseDriftBaseline } from '../../../lib/drift';
import { parseEvaluationReport } from '../../../lib/training';
import { approvalEvent, describedPackage, MODEL_PACKAGE_GROUPS } from '../../unit/lambdas/promote-model/fixtures';
import { cdkContext, REPO_ROOT } from '../../support/cdk-context';
import { startS3rver, type S3rverFixture } from '../../support/s3rver';
import { inferBody, send } from '../serving/support/http-client';
import { startServer } from '../serving/support/test-server';
import { TrainingJob } from '../../../constructs/kubernetes';
import { synthJson } from '../../unit/constructs/kubernetes/support';

const PYTHON = join(REPO_ROOT, '.venv-training', 'bin', 'python');
const TRAINING_DIR = join(REPO_ROOT, 'training');
const { config } = loadEnvironment(cdkContext().environments, 'dev');
const training = config.training!.models[0];
const HYPERPARAMETERS: Record<string, string> = { ...training.hyperparameters, epochs: '4', 'batch-size': '64' };

let s3: S3rverFixture;
let work: string;
let inputDir: string;

/** Seeded customer events where churn rises with support tickets and falls with tenure. */
function customerEventsCsv(customers: number): string {
  let state = 7;
  const random = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const lines = ['event_id,customer_id,event_time,event_type,plan,amount_usd,session_minutes,tenure_months,support_tickets_30d,is_trial,country'];
  const plans = ['free', 'basic', 'pro', 'enterprise'];
  for (let c = 0; c < customers; c++) {
    const id = `C${String(c).padStart(8, '0')}`;
    const tenure = Math.floor(random() * 60);
    const tickets = Math.floor(random() * 10);
    const plan = plans[Math.floor(random() * 4)];
    const events = 2 + Math.floor(random() * 4);
    for (let e = 0; e < events; e++) {
      const type = ['login', 'purchase', 'support_ticket'][Math.floor(random() * 3)];
      const amount = type === 'purchase' ? (random() * 50).toFixed(2) : '';
      const minutes = type === 'login' ? (1 + random() * 60).toFixed(1) : '';
      lines.push(`e-${c}-${e},${id},2026-11-01T0${e}:00:00Z,${type},${plan},${amount},${minutes},${tenure},${tickets},${random() < 0.3},DE`);
    }
    const risk = 1 / (1 + Math.exp(-(0.5 * tickets - 0.08 * tenure - 0.5)));
    if (random() < risk) lines.push(`e-${c}-x,${id},2026-11-01T09:00:00Z,cancellation,${plan},,,${tenure},${tickets},false,DE`);
  }
  return `${lines.join('\n')}\n`;
}

/** A SageMaker-like root (/opt/ml) holding the silver input and the hyperparameters file. */
function sagemakerRoot(name: string): string {
  const root = join(work, name);
  cpSync(inputDir, join(root, 'input', 'data', 'train'), { recursive: true });
  mkdirSync(join(root, 'input', 'config'), { recursive: true });
  writeFileSync(join(root, 'input', 'config', 'hyperparameters.json'), JSON.stringify(HYPERPARAMETERS));
  return root;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs `python -m trainer` like SageMaker's `train`; `killAfter` SIGKILLs it once that line has been printed. */
function runTrainer(root: string, options: { killAfter?: RegExp; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-m', 'trainer'], {
      cwd: TRAINING_DIR,
      env: { ...process.env, SM_ROOT: root, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.killAfter?.test(stdout)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || options.killAfter ? resolve({ code, stdout }) : reject(new Error(`trainer exited ${code}: ${stderr}`))));
  });
}

const epochLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('epoch='));
const report = (root: string) => parseEvaluationReport(readFileSync(join(root, 'model', 'evaluation.json'), 'utf8'), 'evaluation.json');

let uninterrupted: Run;
let uninterruptedRoot: string;

beforeAll(async () => {
  if (!existsSync(PYTHON))
    throw new Error(
      `${PYTHON} is missing: create it with .ci/run (python3 -m venv .venv-training && .venv-training/bin/pip install -r training/requirements.txt)`,
    );
  work = mkdtempSync(join(tmpdir(), 'reference-trainer-'));
  s3 = await startS3rver(['bronze', 'silver', 'gold', 'models']);
  // Silver Parquet exactly as the ingest function writes it.
  const { ETag } = await s3.s3.send(new PutObjectCommand({ Bucket: 'bronze', Key: 'customer-events/2026/11/01/events.csv', Body: customerEventsCsv(600) }));
  await processObject(
    { store: new S3ObjectStore(s3.s3), silverBucket: 'silver' },
    { bucket: 'bronze', key: 'customer-events/2026/11/01/events.csv', etag: ETag, createdAt: new Date('2026-11-01T12:00:00Z') },
  );
  inputDir = join(work, 'silver');
  const listing = await s3.s3.send(new ListObjectsV2Command({ Bucket: 'silver', Prefix: 'datasets/dataset=customer-events/' }));
  for (const object of listing.Contents ?? []) {
    const body = await (await s3.s3.send(new GetObjectCommand({ Bucket: 'silver', Key: object.Key! }))).Body!.transformToByteArray();
    const path = join(inputDir, object.Key!.slice('datasets/'.length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  }
  uninterruptedRoot = sagemakerRoot('uninterrupted');
  uninterrupted = await runTrainer(uninterruptedRoot);
});

afterAll(async () => {
  await s3?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the reference trainer (real processes, SageMaker layout in a temp dir)', () => {
  test('trains on the silver Parquet the ingest code wrote and passes the configured gate', () => {
    expect(epochLines(uninterrupted.stdout).map((line) => line.split(' ')[0])).toEqual(['epoch=1', 'epoch=2', 'epoch=3', 'epoch=4']);
    expect(report(uninterruptedRoot).metrics['validation:auc']).toBeGreaterThanOrEqual(training.evaluationGate.threshold);
    const baseline = parseDriftBaseline(JSON.parse(readFileSync(join(uninterruptedRoot, 'model', 'drift-baseline.json'), 'utf8')), 'drift-baseline.json');
    expect([baseline.inputTensor, baseline.inputColumns, baseline.features.map((f) => f.name)]).toEqual([
      'input',
      8,
      expect.arrayContaining(['tenure_months', 'support_tickets_30d']),
    ]);
  });

  test('killed after epoch 2 and restarted, it resumes at epoch 3 and ends with the same metrics as the uninterrupted run', async () => {
    const root = sagemakerRoot('interrupted');
    // The pause keeps the process from starting epoch 3 before the kill lands, so the newest checkpoint is epoch 2.
    const killed = await runTrainer(root, { killAfter: /^epoch=2 /m, env: { TRAINER_PAUSE_AFTER_CHECKPOINT_SECONDS: '30' } });
    expect(killed.code).toBeNull();
    expect(existsSync(join(root, 'model', 'model.onnx'))).toBe(false);
    const resumed = await runTrainer(root);
    expect(resumed.stdout).toContain('resuming from checkpoint after epoch 2');
    expect(epochLines(resumed.stdout)).toEqual(epochLines(uninterrupted.stdout).slice(2));
    expect(report(root)).toEqual(report(uninterruptedRoot));
  });

  test("every metric line matches the state machine's regexes (from cdk.json), and the last values are the report's", () => {
    const lines = epochLines(uninterrupted.stdout);
    const final = report(uninterruptedRoot).metrics;
    for (const definition of training.metricDefinitions) {
      const values = lines.map((line) => new RegExp(definition.regex).exec(line)?.[1]).map(Number);
      expect({ metric: definition.name, matched: values.every(Number.isFinite) }).toEqual({ metric: definition.name, matched: true });
      if (definition.name in final) expect(values.at(-1)).toBeCloseTo(final[definition.name], 5);
    }
  });

  test('the exported ONNX, served by the serving container, predicts what PyTorch predicts within 1e-5', async () => {
    const repository = join(work, 'repository');
    mkdirSync(join(repository, 'churn-classifier', '1'), { recursive: true });
    for (const file of ['model.onnx', 'config.json']) cpSync(join(uninterruptedRoot, 'model', file), join(repository, 'churn-classifier', '1', file));
    const rows = Array.from({ length: 16 }, (_, i) => [i * 3, 1 + (i % 5), i % 3, i * 7.5, 10 + i, i % 10, i % 2, i % 4]);
    const pytorch = JSON.parse(
      execFileSync(PYTHON, ['-m', 'trainer.predict', join(uninterruptedRoot, 'checkpoints', 'checkpoint.pt'), HYPERPARAMETERS['hidden-units']], {
        cwd: TRAINING_DIR,
        input: JSON.stringify(rows),
      }).toString(),
    ) as number[];
    const server = await startServer(repository, { ORT_INTRA_OP_THREADS: '1' });
    try {
      const res = await send(`${server.url}/v2/models/churn-classifier/versions/1/infer`, { body: inferBody('input', [rows.length, 8], rows) });
      expect(res.status).toBe(200);
      const served = res.json().outputs[0].data as number[];
      expect(served).toHaveLength(rows.length);
      expect(Math.max(...served.map((p, i) => Math.abs(p - pytorch[i])))).toBeLessThan(1e-5);
    } finally {
      await server.stop();
    }
  });

  test("its model.tar.gz passes the pipeline's gate and promotion's package check", async () => {
    const archive = join(work, 'model.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', join(uninterruptedRoot, 'model'), '.']);
    const run = 'manual-0123456789';
    const key = `model-artifacts/churn-classifier/runs/${run}/churn-classifier-${run}-0/output/model.tar.gz`;
    await s3.s3.send(new PutObjectCommand({ Bucket: 'gold', Key: key, Body: readFileSync(archive) }));
    const pipelineConfig = {
      environment: 'dev',
      model: 'churn-classifier',
      inputBucket: 'silver',
      inputPrefix: 'datasets/dataset=customer-events/',
      outputBucket: 'gold',
      image: training.image,
      hyperparameters: training.hyperparameters,
      evaluationGate: training.evaluationGate,
    };
    const evaluation = await evaluateRun(s3.s3, pipelineConfig, {
      validation: {
        runId: run,
        trigger: 'manual',
        reason: 'test',
        hyperparameters: HYPERPARAMETERS,
        inputManifestUri: 's3://gold/m.json',
        inputManifestSha256: '0'.repeat(64),
        inputObjectCount: 1,
      },
      training: { modelArtifactUri: `s3://gold/${key}`, trainingJobName: `churn-classifier-${run}-0` },
    });
    expect(evaluation).toMatchObject({ passed: true });
    if (!evaluation.passed) return;

    const sagemaker = mockClient(SageMakerClient);
    sagemaker.on(DescribeModelPackageCommand).resolves(
      describedPackage({
        InferenceSpecification: {
          Containers: [{ Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1', ModelDataUrl: evaluation.modelDataUrl }],
        },
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: evaluation.evaluationReportUri } } },
      }),
    );
    const promote = createApprovalHandler(
      {
        sagemaker: new SageMakerClient({ region: 'us-east-1' }),
        s3: s3.s3,
        repository: { bucket: 'models', prefix: 'models/' },
        modelPackageGroups: MODEL_PACKAGE_GROUPS,
        evaluationGates: parseEvaluationGates(JSON.stringify({ 'churn-classifier': training.evaluationGate })),
      },
      { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) },
    );
    expect(await promote(approvalEvent())).toMatchObject({ kind: 'promoted', model: 'churn-classifier', artifactFormat: 'gzip-tar' });
    sagemaker.restore();
  });
});

describe("the EKS TrainingJob's command runs the reference trainer distributed (two indexes as two processes on loopback)", () => {
  test('both indexes finish; index 0 writes the model that passes the gate, from shared checkpoint and model directories', async () => {
    // The container command and environment exactly as the Job's Terraform JSON has them, with what Kubernetes fills in
    // supplied by hand: $(NODE_RANK) from each pod's completion index, the index-0 DNS name as loopback, a free port.
    const json = synthJson((scope) => {
      new TrainingJob(scope, 'run', {
        runName: 'churn-eks',
        image: `${training.image}`,
        nodes: 2,
        gpusPerNode: 1,
        volumeClaimName: 'shared',
        dataPath: 'silver',
      });
    });
    const container = Object.values(json.resource.kubernetes_job_v1 ?? {})[0]?.spec.template.spec.container[0] as {
      command: string[];
      env: Array<{ name: string; value?: string }>;
    };
    const port = String(29_500 + Math.floor(Math.random() * 1000));
    const root = sagemakerRoot('eks');
    const podEnv = Object.fromEntries(container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    const launch = (rank: number) =>
      new Promise<Run>((resolve, reject) => {
        const [, ...args] = container.command.map((arg) =>
          arg
            .replace('$(NODE_RANK)', String(rank))
            .replace(/^--master-addr=.*/, '--master-addr=127.0.0.1')
            .replace(/^--master-port=.*/, `--master-port=${port}`),
        );
        const child = spawn(PYTHON, args, {
          cwd: TRAINING_DIR,
          // The Job mounts the shared volume and the hyperparameters at SageMaker's paths: the same root for both indexes here.
          env: { ...process.env, ...podEnv, SM_ROOT: root, OMP_NUM_THREADS: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve({ code, stdout }) : reject(new Error(`index ${rank} exited ${code}: ${stderr.slice(-2000)}`))));
      });
    const [first, second] = await Promise.all([launch(0), launch(1)]);
    expect(epochLines(first.stdout).map((line) => line.split(' ')[0])).toEqual(['epoch=1', 'epoch=2', 'epoch=3', 'epoch=4']);
    expect(epochLines(second.stdout)).toEqual([]);
    expect(existsSync(join(root, 'checkpoints', 'checkpoint.pt'))).toBe(true);
    expect(report(root).metrics['validation:auc']).toBeGreaterThanOrEqual(training.evaluationGate.threshold);
  });
});
