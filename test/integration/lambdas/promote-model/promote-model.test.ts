import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { createApprovalHandler } from '../../../../lambdas/promote-model/approval-handler';
import { approvalEvent, describedPackage, PACKAGE_ARN } from '../../../unit/lambdas/promote-model/fixtures';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';

const TRAINING = 'training';
const REPOSITORY = 'model-repository';
const ARTIFACT_KEY = 'churn-classifier/run-42/model.onnx';
const onnxBytes = readFileSync(join(__dirname, '../../../../serving/models/digits-mlp/1/model.onnx'));

const sagemakerMock = mockClient(SageMakerClient);
const logger = new Logger({ serviceName: 'promote-model-test', logLevel: 'SILENT' });
const metrics = new Metrics({ namespace: 'Test', serviceName: 'promote-model-test' });

let fixture: S3rverFixture;
let handle: ReturnType<typeof createApprovalHandler>;

beforeAll(async () => {
  fixture = await startS3rver([TRAINING, REPOSITORY]);
  await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: ARTIFACT_KEY, Body: onnxBytes }));
  await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: 'churn-classifier/run-43/model.onnx', Body: onnxBytes.subarray(0, 1000) }));
  await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: 'churn-classifier/run-43/config.json', Body: '{"maxBatchSize": 64}' }));
  handle = createApprovalHandler(
    { sagemaker: new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), s3: fixture.s3, repository: { bucket: REPOSITORY, prefix: 'models/' } },
    { logger, metrics },
  );
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(() => {
  sagemakerMock.reset();
  metrics.clearMetrics();
});

async function repositoryListing(): Promise<Record<string, string>> {
  const listing = await fixture.s3.send(new ListObjectsV2Command({ Bucket: REPOSITORY }));
  return Object.fromEntries((listing.Contents ?? []).map((object) => [object.Key!, `${object.ETag}@${object.LastModified?.toISOString()}`]));
}

async function bytesOf(bucket: string, key: string): Promise<Uint8Array> {
  const object = await fixture.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToByteArray();
}

describe('promote-model (s3rver for S3, SageMaker mocked)', () => {
  it('copies an approved package into {model}/{version}/model.onnx with a config.json', async () => {
    sagemakerMock.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE_ARN }).resolves(describedPackage());
    const result = await handle(approvalEvent());

    expect(result).toEqual({ kind: 'promoted', model: 'churn-classifier', version: 3, modelKey: 'models/churn-classifier/3/model.onnx', configSource: 'default' });
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/3/model.onnx')).equals(onnxBytes)).toBe(true);
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/3/config.json')).toString()).toBe('{}\n');
    const head = await fixture.s3.send(new HeadObjectCommand({ Bucket: REPOSITORY, Key: 'models/churn-classifier/3/model.onnx' }));
    const source = await fixture.s3.send(new HeadObjectCommand({ Bucket: TRAINING, Key: ARTIFACT_KEY }));
    expect(head.Metadata).toEqual({ 'model-package-arn': PACKAGE_ARN, 'model-package-version': '3', 'source-etag': source.ETag });
    expect(sagemakerMock.commandCalls(DescribeModelPackageCommand)[0]!.args[0].input).toStrictEqual({ ModelPackageName: PACKAGE_ARN });
  });

  it('changes nothing when the same approval arrives again', async () => {
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage());
    const before = await repositoryListing();
    expect(Object.keys(before)).toEqual(['models/churn-classifier/3/config.json', 'models/churn-classifier/3/model.onnx']);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const result = await handle(approvalEvent());
    expect(result).toEqual({ kind: 'already-promoted', model: 'churn-classifier', version: 3, modelKey: 'models/churn-classifier/3/model.onnx' });
    expect(await repositoryListing()).toEqual(before);
  });

  it('copies the config.json packaged beside the artifact', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-classifier/4';
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-43/model.onnx` }];
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelPackageArn: arn, ModelPackageVersion: 4, InferenceSpecification: { Containers: containers } }));
    const result = await handle(approvalEvent({ arn, version: 4 }));
    expect(result).toMatchObject({ kind: 'promoted', version: 4, configSource: 'package' });
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/4/config.json')).toString()).toBe('{"maxBatchSize": 64}');
  });

  it('rejects a package without an ONNX artifact: nothing written, no error thrown, so no retries', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-classifier/5';
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-44/output/model.tar.gz` }];
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelPackageArn: arn, ModelPackageVersion: 5, InferenceSpecification: { Containers: containers } }));
    const before = await repositoryListing();

    const result = await handle(approvalEvent({ arn, version: 5 }));
    expect(result).toEqual({
      kind: 'rejected',
      modelPackageArn: arn,
      reasons: [`no ONNX artifact: s3://${TRAINING}/churn-classifier/run-44/output/model.tar.gz is an archive; register the .onnx file itself as ModelDataUrl`],
    });
    expect(await repositoryListing()).toEqual(before);
  });

  it('rejects a package whose artifact is missing, and one without evaluation metrics', async () => {
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-99/model.onnx` }];
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelPackageVersion: 6, InferenceSpecification: { Containers: containers } }));
    expect(await handle(approvalEvent({ version: 6 }))).toMatchObject({ kind: 'rejected', reasons: [`the ONNX artifact s3://${TRAINING}/churn-classifier/run-99/model.onnx does not exist`] });

    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelPackageVersion: 7, ModelMetrics: undefined }));
    expect(await handle(approvalEvent({ version: 7 }))).toMatchObject({ kind: 'rejected', reasons: ['no evaluation metrics: ModelMetrics names no report'] });
  });

  it('refuses to overwrite a promoted version with a different artifact', async () => {
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-43/model.onnx` }];
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ InferenceSpecification: { Containers: containers } }));
    const before = await repositoryListing();
    const result = await handle(approvalEvent());
    expect(result).toMatchObject({ kind: 'rejected', reasons: [expect.stringContaining('already holds an artifact from ' + PACKAGE_ARN)] });
    expect(await repositoryListing()).toEqual(before);
  });

  it('skips events that are not approvals, and packages no longer approved when read', async () => {
    expect(await handle(approvalEvent({ status: 'Rejected' }))).toEqual({ kind: 'not-approved', approvalStatus: 'Rejected' });
    expect(sagemakerMock.commandCalls(DescribeModelPackageCommand)).toHaveLength(0);
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelApprovalStatus: 'PendingManualApproval' }));
    expect(await handle(approvalEvent())).toEqual({ kind: 'not-approved', approvalStatus: 'PendingManualApproval' });
  });

  it('throws malformed events and transient AWS errors, so Lambda retries them and then dead-letters them', async () => {
    await expect(handle({ ...approvalEvent(), 'detail-type': 'Something Else' })).rejects.toThrow();
    sagemakerMock.on(DescribeModelPackageCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(handle(approvalEvent())).rejects.toThrow('Rate exceeded');
  });
});
