import { approvalEventSchema } from '../../../../lambdas/promote-model/approval-event';
import type { ModelPackageContainerDefinition } from '@aws-sdk/client-sagemaker';
import { checkModelPackage } from '../../../../lambdas/promote-model/check-package';
import { parseModelPackageGroups } from '../../../../lambdas/promote-model/model-package-groups';
import { parseRepositoryPrefix, versionKey } from '../../../../lambdas/promote-model/repository';
import { copySource, parseS3Uri } from '../../../../lambdas/promote-model/s3-uri';
import { MODEL_PACKAGE_GROUPS, PACKAGE_ARN, approvalEvent, describedPackage } from './fixtures';

const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1';

const check = (overrides: Parameters<typeof describedPackage>[0] = {}) => checkModelPackage(describedPackage(overrides), MODEL_PACKAGE_GROUPS);
const withContainers = (...containers: ModelPackageContainerDefinition[]) => check({ InferenceSpecification: { Containers: containers } });
const gzipSource = (S3Uri: string) => ({
  Image: image,
  ModelDataSource: { S3DataSource: { S3Uri, S3DataType: 'S3Object' as const, CompressionType: 'Gzip' as const } },
});

describe('checkModelPackage', () => {
  it("accepts a versioned package of a known group with one ONNX artifact and evaluation metrics; the model is the group's model", () => {
    expect(check()).toEqual({
      ok: true,
      servable: {
        modelPackageArn: PACKAGE_ARN,
        model: 'churn-classifier',
        version: 3,
        artifact: { bucket: 'training', key: 'churn-classifier/run-42/model.onnx' },
        artifactFormat: 'onnx',
        metricsUris: ['s3://training/churn-classifier/run-42/evaluation.json'],
        evaluationReportUri: 's3://training/churn-classifier/run-42/evaluation.json',
      },
    });
  });

  it('accepts an uncompressed ModelDataSource object', () => {
    const result = withContainers({
      Image: image,
      ModelDataSource: { S3DataSource: { S3Uri: 's3://training/m/model.onnx', S3DataType: 'S3Object', CompressionType: 'None' } },
    });
    expect(result.ok && [result.servable.artifact, result.servable.artifactFormat]).toEqual([{ bucket: 'training', key: 'm/model.onnx' }, 'onnx']);
  });

  it.each([
    ['a ModelDataUrl ending .tar.gz', { Image: image, ModelDataUrl: 's3://training/run-42/output/model.tar.gz' }, 'run-42/output/model.tar.gz'],
    ['a ModelDataUrl ending .tgz', { Image: image, ModelDataUrl: 's3://training/run-42/output/MODEL.TGZ' }, 'run-42/output/MODEL.TGZ'],
    ['a Gzip S3Object data source, whatever its suffix', gzipSource('s3://training/run-42/output/model'), 'run-42/output/model'],
  ])("accepts SageMaker's archive convention: %s", (_case, container, key) => {
    const result = withContainers(container);
    expect(result.ok && [result.servable.artifact, result.servable.artifactFormat]).toEqual([{ bucket: 'training', key }, 'gzip-tar']);
  });

  it('rejects a zip and an uncompressed S3Object that is not .onnx, saying what can be served', () => {
    expect(withContainers({ Image: image, ModelDataUrl: 's3://training/run-42/model.zip' })).toEqual({
      ok: false,
      reasons: [
        'no model artifact: InferenceSpecification.Containers point at s3://training/run-42/model.zip; register an .onnx object or a gzipped tar (.tar.gz, .tgz or CompressionType Gzip) holding one',
      ],
    });
    const uncompressedTar = {
      Image: image,
      ModelDataSource: { S3DataSource: { S3Uri: 's3://training/m/model.tar.gz', S3DataType: 'S3Object' as const, CompressionType: 'None' as const } },
    };
    expect(withContainers(uncompressedTar)).toMatchObject({ ok: false, reasons: [expect.stringContaining('point at s3://training/m/model.tar.gz;')] });
  });

  it('rejects a package without inference containers or metrics, giving both reasons', () => {
    expect(check({ InferenceSpecification: undefined, ModelMetrics: {} })).toEqual({
      ok: false,
      reasons: [
        'no model artifact: InferenceSpecification.Containers point at no model data; register an .onnx object or a gzipped tar (.tar.gz, .tgz or CompressionType Gzip) holding one',
        'no evaluation metrics: ModelMetrics names no report',
      ],
    });
  });

  it('finds metrics in any ModelMetrics category', () => {
    const result = check({ ModelMetrics: { Bias: { PostTrainingReport: { ContentType: 'application/json', S3Uri: 's3://b/bias.json' } } } });
    expect(result.ok && result.servable.metricsUris).toEqual(['s3://b/bias.json']);
  });

  it('rejects an ONNX object and an archive together, prefix sources and unversioned packages', () => {
    const containers = [
      { Image: image, ModelDataUrl: 's3://training/a/model.onnx' },
      gzipSource('s3://training/b/model.tar.gz'),
      { Image: image, ModelDataSource: { S3DataSource: { S3Uri: 's3://training/c/', S3DataType: 'S3Prefix' as const, CompressionType: 'Gzip' as const } } },
    ];
    expect(check({ InferenceSpecification: { Containers: containers }, ModelPackageVersion: undefined })).toEqual({
      ok: false,
      reasons: [
        'it is not a versioned model package (no ModelPackageGroupName/ModelPackageVersion)',
        's3://training/c/ is a S3Prefix source with Gzip compression; only a single S3Object can be served: an .onnx file (CompressionType None) or a gzipped tar holding one (CompressionType Gzip)',
        'more than one model artifact (s3://training/a/model.onnx, s3://training/b/model.tar.gz); the serving layout holds one model.onnx per version',
      ],
    });
  });

  it('counts the same artifact named by two containers once', () => {
    expect(withContainers({ Image: image, ModelDataUrl: 's3://training/a/model.tar.gz' }, gzipSource('s3://training/a/model.tar.gz')).ok).toBe(true);
  });

  it('rejects a group this function does not promote, naming the groups it does', () => {
    expect(check({ ModelPackageGroupName: 'prod-churn-classifier' })).toEqual({
      ok: false,
      reasons: [
        'model package group prod-churn-classifier is not one this function promotes (dev-churn-classifier); MODEL_PACKAGE_GROUPS maps each group to its model',
      ],
    });
  });

  it('rejects an artifact that is not in S3', () => {
    expect(withContainers({ Image: image, ModelDataUrl: 'https://example.com/model.onnx' })).toEqual({
      ok: false,
      reasons: ['https://example.com/model.onnx is not an s3:// URI'],
    });
  });
});

describe('parseModelPackageGroups', () => {
  it('maps each group to its model', () => {
    expect(parseModelPackageGroups('{"dev-churn-classifier":"churn-classifier","dev-fraud-scorer":"fraud-scorer"}')).toEqual(
      new Map([
        ['dev-churn-classifier', 'churn-classifier'],
        ['dev-fraud-scorer', 'fraud-scorer'],
      ]),
    );
  });

  it.each([
    ['not json', /^MODEL_PACKAGE_GROUPS is not valid JSON: /],
    ['["dev-churn-classifier"]', /^MODEL_PACKAGE_GROUPS must be a JSON object \{"<model package group>": "<model name>"\}: /],
    ['{}', /at least one group/],
    ['{"bad_group": "churn-classifier"}', /a SageMaker model package group name/],
    ['{"dev-churn-classifier": ""}', /a model name/],
  ])('%s is refused at init', (text, message) => {
    expect(() => parseModelPackageGroups(text)).toThrow(message);
  });
});

describe('approvalEventSchema', () => {
  it('parses the documented event shape', () => {
    const event = approvalEventSchema.parse(approvalEvent());
    expect(event.detail).toMatchObject({ ModelPackageGroupName: 'dev-churn-classifier', ModelPackageVersion: 3, ModelApprovalStatus: 'Approved' });
  });

  it('refuses other events and incomplete details', () => {
    expect(approvalEventSchema.safeParse({ ...approvalEvent(), 'detail-type': 'SageMaker Model State Change' }).success).toBe(false);
    const { ModelPackageArn: _arn, ...detail } = approvalEvent().detail;
    expect(approvalEventSchema.safeParse({ ...approvalEvent(), detail }).success).toBe(false);
  });
});

describe('repository layout and S3 URIs', () => {
  it('builds {prefix}{model}/{version}/{file}', () => {
    expect(versionKey({ bucket: 'b', prefix: 'models/' }, 'churn-classifier', 3, 'model.onnx')).toBe('models/churn-classifier/3/model.onnx');
    expect(versionKey({ bucket: 'b', prefix: '' }, 'churn-classifier', 3, 'config.json')).toBe('churn-classifier/3/config.json');
  });

  it('accepts only an empty or slash-terminated relative prefix', () => {
    expect(parseRepositoryPrefix('models/')).toBe('models/');
    expect(parseRepositoryPrefix('')).toBe('');
    expect(() => parseRepositoryPrefix('models')).toThrow("MODEL_REPOSITORY_PREFIX must be empty or end with '/' and not start with it, got 'models'");
    expect(() => parseRepositoryPrefix('/models/')).toThrow(/MODEL_REPOSITORY_PREFIX/);
  });

  it('parses s3:// URIs and encodes copy sources per segment', () => {
    expect(parseS3Uri('s3://bucket/a/b c.onnx')).toEqual({ bucket: 'bucket', key: 'a/b c.onnx' });
    expect(parseS3Uri('s3://bucket')).toBeUndefined();
    expect(copySource({ bucket: 'bucket', key: 'a/b c+d.onnx' })).toBe('bucket/a/b%20c%2Bd.onnx');
  });
});
