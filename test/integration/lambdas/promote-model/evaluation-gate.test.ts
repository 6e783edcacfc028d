import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { createApprovalHandler } from '../../../../lambdas/promote-model/promote-handler';
import { parseEvaluationGates } from '../../../../lambdas/promote-model/evaluation-check';
import { approvalEvent, describedPackage, MODEL_PACKAGE_GROUPS } from '../../../unit/lambdas/promote-model/fixtures';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';

const GOLD = 'gold';
const REPOSITORY = 'model-repository';
const onnxBytes = readFileSync(join(__dirname, '../../../../serving/models/digits-mlp/1/model.onnx'));
// The gate of the sample config, as the platform stack passes it to the function.
const gates = parseEvaluationGates(JSON.stringify({ 'churn-classifier': { metric: 'validation:auc', comparison: '>=', threshold: 0.75 } }));

const sagemakerMock = mockClient(SageMakerClient);
const logger = new Logger({ serviceName: 'promote-model-test', logLevel: 'SILENT' });
const metrics = new Metrics({ namespace: 'Test', serviceName: 'promote-model-test' });
let fixture: S3rverFixture;
let handle: ReturnType<typeof createApprovalHandler>;

const report = (auc: number) => JSON.stringify({ schemaVersion: '1', metrics: { 'validation:auc': auc, 'validation:loss': 0.4 }, evaluationRows: 200 });

/** A package as the training pipeline registers it: the model, and the evaluation report as ModelQuality statistics. */
function registered(version: number, run: string) {
  return describedPackage({
    ModelPackageVersion: version,
    ModelPackageArn: `arn:aws:sagemaker:us-east-1:123456789012:model-package/dev-churn-classifier/${version}`,
    InferenceSpecification: {
      Containers: [
        {
          Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1',
          ModelDataUrl: `s3://${GOLD}/model-artifacts/churn-classifier/runs/${run}/model.onnx`,
        },
      ],
    },
    ModelMetrics: {
      ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: `s3://${GOLD}/model-artifacts/churn-classifier/runs/${run}/evaluation.json` } },
    },
  });
}

beforeAll(async () => {
  fixture = await startS3rver([GOLD, REPOSITORY]);
  for (const [run, auc] of [
    ['good', 0.82],
    ['poor', 0.61],
  ] as const) {
    await fixture.s3.send(new PutObjectCommand({ Bucket: GOLD, Key: `model-artifacts/churn-classifier/runs/${run}/model.onnx`, Body: onnxBytes }));
    await fixture.s3.send(new PutObjectCommand({ Bucket: GOLD, Key: `model-artifacts/churn-classifier/runs/${run}/evaluation.json`, Body: report(auc) }));
  }
  await fixture.s3.send(new PutObjectCommand({ Bucket: GOLD, Key: 'model-artifacts/churn-classifier/runs/garbled/model.onnx', Body: onnxBytes }));
  await fixture.s3.send(
    new PutObjectCommand({ Bucket: GOLD, Key: 'model-artifacts/churn-classifier/runs/garbled/evaluation.json', Body: '{"metrics": "high"}' }),
  );
  handle = createApprovalHandler(
    {
      sagemaker: new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
      s3: fixture.s3,
      repository: { bucket: REPOSITORY, prefix: 'models/' },
      modelPackageGroups: MODEL_PACKAGE_GROUPS,
      evaluationGates: gates,
    },
    { logger, metrics },
  );
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(() => sagemakerMock.reset());

describe('promotion reads the evaluation report and checks it against the training gate (s3rver)', () => {
  it('promotes a package whose report passes the gate', async () => {
    sagemakerMock.on(DescribeModelPackageCommand).resolves(registered(11, 'good'));
    expect(await handle(approvalEvent({ version: 11 }))).toMatchObject({ kind: 'promoted', model: 'churn-classifier', version: 11 });
  });

  it('rejects a package whose report misses the gate, with the figures', async () => {
    sagemakerMock.on(DescribeModelPackageCommand).resolves(registered(12, 'poor'));
    expect(await handle(approvalEvent({ version: 12 }))).toMatchObject({
      kind: 'rejected',
      reasons: ['evaluation gate validation:auc >= 0.75 failed: validation:auc = 0.61 (reported metrics: validation:auc=0.61, validation:loss=0.4)'],
    });
  });

  it('rejects a report that is not one, and a report that does not exist', async () => {
    sagemakerMock.on(DescribeModelPackageCommand).resolves(registered(13, 'garbled'));
    expect(await handle(approvalEvent({ version: 13 }))).toMatchObject({
      kind: 'rejected',
      reasons: [expect.stringMatching(/evaluation\.json is not an evaluation report \(schemaVersion 1\): schemaVersion: .*; metrics: /)],
    });
    sagemakerMock.on(DescribeModelPackageCommand).resolves(registered(14, 'absent'));
    expect(await handle(approvalEvent({ version: 14 }))).toMatchObject({
      kind: 'rejected',
      reasons: [expect.stringMatching(/the ONNX artifact .* does not exist|evaluation report .* does not exist/)],
    });
  });

  it('rejects a gated model whose package registers metrics but no ModelQuality statistics', async () => {
    sagemakerMock
      .on(DescribeModelPackageCommand)
      .resolves({ ...registered(15, 'good'), ModelMetrics: { Bias: { Report: { ContentType: 'application/json', S3Uri: `s3://${GOLD}/x.json` } } } });
    expect(await handle(approvalEvent({ version: 15 }))).toMatchObject({
      kind: 'rejected',
      reasons: [expect.stringContaining('ModelMetrics.ModelQuality.Statistics.S3Uri is not set')],
    });
  });
});
