import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeModelPackageCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { createApprovalHandler } from '../../../../lambdas/promote-model/promote-handler';
import { modelBytes, tarGz } from '../../../unit/lambdas/promote-model/archive-fixtures';
import { approvalEvent, describedPackage, GROUP, MODEL_PACKAGE_GROUPS, PACKAGE_ARN } from '../../../unit/lambdas/promote-model/fixtures';
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
    {
      sagemaker: new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
      s3: fixture.s3,
      repository: { bucket: REPOSITORY, prefix: 'models/' },
      modelPackageGroups: MODEL_PACKAGE_GROUPS,
    },
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

const packageArn = (version: number) => `arn:aws:sagemaker:us-east-1:123456789012:model-package/${GROUP}/${version}`;

describe('promote-model (s3rver for S3, SageMaker mocked)', () => {
  it('copies an approved package into {model}/{version}/model.onnx with a config.json', async () => {
    sagemakerMock.on(DescribeModelPackageCommand, { ModelPackageName: PACKAGE_ARN }).resolves(describedPackage());
    const result = await handle(approvalEvent());

    expect(result).toEqual({
      kind: 'promoted',
      model: 'churn-classifier',
      version: 3,
      modelKey: 'models/churn-classifier/3/model.onnx',
      artifactFormat: 'onnx',
      configSource: 'default',
    });
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/3/model.onnx')).equals(onnxBytes)).toBe(true);
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/3/config.json')).toString()).toBe('{}\n');
    const head = await fixture.s3.send(new HeadObjectCommand({ Bucket: REPOSITORY, Key: 'models/churn-classifier/3/model.onnx' }));
    const source = await fixture.s3.send(new HeadObjectCommand({ Bucket: TRAINING, Key: ARTIFACT_KEY }));
    expect(head.Metadata).toEqual({ 'model-package-arn': PACKAGE_ARN, 'model-package-version': '3', 'source-etag': source.ETag });
    expect(sagemakerMock.commandCalls(DescribeModelPackageCommand)[0].args[0].input).toStrictEqual({ ModelPackageName: PACKAGE_ARN });
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
    const arn = packageArn(4);
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-43/model.onnx` }];
    sagemakerMock
      .on(DescribeModelPackageCommand)
      .resolves(describedPackage({ ModelPackageArn: arn, ModelPackageVersion: 4, InferenceSpecification: { Containers: containers } }));
    const result = await handle(approvalEvent({ arn, version: 4 }));
    expect(result).toMatchObject({ kind: 'promoted', version: 4, configSource: 'package' });
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/4/config.json')).toString()).toBe('{"maxBatchSize": 64}');
  });

  it('rejects a package without a model artifact: nothing written, no error thrown, so no retries', async () => {
    const arn = packageArn(5);
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-44/output/model.zip` }];
    sagemakerMock
      .on(DescribeModelPackageCommand)
      .resolves(describedPackage({ ModelPackageArn: arn, ModelPackageVersion: 5, InferenceSpecification: { Containers: containers } }));
    const before = await repositoryListing();

    const result = await handle(approvalEvent({ arn, version: 5 }));
    expect(result).toEqual({
      kind: 'rejected',
      modelPackageArn: arn,
      reasons: [
        `no model artifact: InferenceSpecification.Containers point at s3://${TRAINING}/churn-classifier/run-44/output/model.zip; ` +
          'register an .onnx object or a gzipped tar (.tar.gz, .tgz or CompressionType Gzip) holding one',
      ],
    });
    expect(await repositoryListing()).toEqual(before);
  });

  it('rejects a package of a group it does not promote', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/prod-churn-classifier/3';
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelPackageArn: arn, ModelPackageGroupName: 'prod-churn-classifier' }));
    const before = await repositoryListing();
    expect(await handle(approvalEvent({ arn }))).toEqual({
      kind: 'rejected',
      modelPackageArn: arn,
      reasons: [`model package group prod-churn-classifier is not one this function promotes (${GROUP}); MODEL_PACKAGE_GROUPS maps each group to its model`],
    });
    expect(await repositoryListing()).toEqual(before);
  });

  it('rejects a package whose artifact is missing, and one without evaluation metrics', async () => {
    const containers = [{ Image: 'img', ModelDataUrl: `s3://${TRAINING}/churn-classifier/run-99/model.onnx` }];
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedPackage({ ModelPackageVersion: 6, InferenceSpecification: { Containers: containers } }));
    expect(await handle(approvalEvent({ version: 6 }))).toMatchObject({
      kind: 'rejected',
      reasons: [`the ONNX artifact s3://${TRAINING}/churn-classifier/run-99/model.onnx does not exist`],
    });

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

/** Runs one handler call with every S3 command name recorded. */
async function recordingCommands<T>(run: () => Promise<T>, check: (result: T) => void): Promise<string[]> {
  const names: string[] = [];
  fixture.s3.middlewareStack.add((next, context) => (args) => (names.push(context.commandName!), next(args)), { step: 'initialize', name: 'recordCommands' });
  try {
    check(await run());
  } finally {
    fixture.s3.middlewareStack.remove('recordCommands');
  }
  return names;
}

describe('promote-model with SageMaker model.tar.gz artifacts (s3rver, real SDK and lib-storage)', () => {
  const archiveKey = (run: string) => `churn-classifier/${run}/output/model.tar.gz`;
  const archivePackage = (version: number, run: string, gzipSource = false) => {
    const uri = `s3://${TRAINING}/${archiveKey(run)}`;
    const container = gzipSource
      ? { Image: 'img', ModelDataSource: { S3DataSource: { S3Uri: uri, S3DataType: 'S3Object' as const, CompressionType: 'Gzip' as const } } }
      : { Image: 'img', ModelDataUrl: uri };
    sagemakerMock
      .on(DescribeModelPackageCommand)
      .resolves(describedPackage({ ModelPackageArn: packageArn(version), ModelPackageVersion: version, InferenceSpecification: { Containers: [container] } }));
    return approvalEvent({ arn: packageArn(version), version });
  };

  it('unpacks the one .onnx into model.onnx (bytes identical) with the config.json beside it, provenance on model.onnx', async () => {
    const archive = await tarGz([
      { name: 'export/', type: 'directory' },
      { name: 'export/digits-mlp.onnx', body: onnxBytes },
      { name: 'export/config.json', body: '{"maxBatchSize": 16}' },
      { name: 'export/training-metrics.json', body: '{"accuracy": 0.97}' },
    ]);
    const { ETag } = await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: archiveKey('run-50'), Body: archive }));

    const result = await handle(archivePackage(10, 'run-50'));
    expect(result).toEqual({
      kind: 'promoted',
      model: 'churn-classifier',
      version: 10,
      modelKey: 'models/churn-classifier/10/model.onnx',
      artifactFormat: 'gzip-tar',
      configSource: 'package',
      archiveModelPath: 'export/digits-mlp.onnx',
      skippedEntries: 2,
    });
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/10/model.onnx')).equals(onnxBytes)).toBe(true);
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/10/config.json')).toString()).toBe('{"maxBatchSize": 16}');
    const head = await fixture.s3.send(new HeadObjectCommand({ Bucket: REPOSITORY, Key: 'models/churn-classifier/10/model.onnx' }));
    expect(head.Metadata).toEqual({ 'model-package-arn': packageArn(10), 'model-package-version': '10', 'source-etag': ETag });
  });

  it('changes nothing when the same approval arrives again', async () => {
    const event = archivePackage(10, 'run-50');
    const before = await repositoryListing();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await handle(event)).toEqual({
      kind: 'already-promoted',
      model: 'churn-classifier',
      version: 10,
      modelKey: 'models/churn-classifier/10/model.onnx',
    });
    expect(await repositoryListing()).toEqual(before);
  });

  it('streams a model larger than one upload part (multipart upload), from a Gzip ModelDataSource, with the default config', async () => {
    const large = modelBytes(12 * 1024 * 1024 + 123, 11);
    await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: archiveKey('run-51'), Body: await tarGz([{ name: 'model.onnx', body: large }]) }));
    const commands = await recordingCommands(
      () => handle(archivePackage(11, 'run-51', true)),
      (result) => expect(result).toMatchObject({ kind: 'promoted', version: 11, artifactFormat: 'gzip-tar', configSource: 'default', skippedEntries: 0 }),
    );
    // config.json is written before the multipart upload completes: model.onnx, which serving polls for, comes last.
    expect(commands.indexOf('PutObjectCommand')).toBeGreaterThan(commands.indexOf('UploadPartCommand'));
    expect(commands.lastIndexOf('CompleteMultipartUploadCommand')).toBe(commands.length - 1);
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/11/model.onnx')).equals(large)).toBe(true);
    expect(Buffer.from(await bytesOf(REPOSITORY, 'models/churn-classifier/11/config.json')).toString()).toBe('{}\n');
  });

  it('rejects an archive whose second .onnx comes after 12 MB of the first were uploaded: nothing is written, no error thrown', async () => {
    const archive = await tarGz([
      { name: 'a/model.onnx', body: modelBytes(12 * 1024 * 1024, 3) },
      { name: 'b/model.onnx', body: 'second' },
    ]);
    await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: archiveKey('run-52'), Body: archive }));
    const before = await repositoryListing();
    const commands = await recordingCommands(
      () => handle(archivePackage(12, 'run-52')),
      (result) =>
        expect(result).toEqual({
          kind: 'rejected',
          modelPackageArn: packageArn(12),
          reasons: [`s3://${TRAINING}/${archiveKey('run-52')} holds more than one .onnx file (a/model.onnx, b/model.onnx); it must hold exactly one`],
        }),
    );
    expect(commands).toEqual(expect.arrayContaining(['CreateMultipartUploadCommand', 'UploadPartCommand', 'AbortMultipartUploadCommand']));
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
    expect(commands).not.toContain('PutObjectCommand');
    expect(await repositoryListing()).toEqual(before);
  });

  it('rejects a body that is not a gzipped tar, and a missing archive: nothing written', async () => {
    await fixture.s3.send(new PutObjectCommand({ Bucket: TRAINING, Key: archiveKey('run-53'), Body: onnxBytes }));
    const before = await repositoryListing();
    expect(await handle(archivePackage(13, 'run-53'))).toEqual({
      kind: 'rejected',
      modelPackageArn: packageArn(13),
      reasons: [`s3://${TRAINING}/${archiveKey('run-53')} is not a gzip-compressed tar: incorrect header check`],
    });
    expect(await handle(archivePackage(14, 'run-404'))).toMatchObject({
      kind: 'rejected',
      reasons: [`the model archive s3://${TRAINING}/${archiveKey('run-404')} does not exist`],
    });
    expect(await repositoryListing()).toEqual(before);
  });
});
