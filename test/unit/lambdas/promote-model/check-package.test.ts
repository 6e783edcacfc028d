import { approvalEventSchema } from '../../../../lambdas/promote-model/approval-event';
import { checkModelPackage } from '../../../../lambdas/promote-model/check-package';
import { parseRepositoryPrefix, versionKey } from '../../../../lambdas/promote-model/repository';
import { copySource, parseS3Uri } from '../../../../lambdas/promote-model/s3-uri';
import { PACKAGE_ARN, approvalEvent, describedPackage } from './fixtures';

const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1';

describe('checkModelPackage', () => {
  it('accepts a versioned package with one ONNX artifact and evaluation metrics', () => {
    expect(checkModelPackage(describedPackage())).toEqual({
      ok: true,
      servable: {
        modelPackageArn: PACKAGE_ARN,
        model: 'churn-classifier',
        version: 3,
        artifact: { bucket: 'training', key: 'churn-classifier/run-42/model.onnx' },
        metricsUris: ['s3://training/churn-classifier/run-42/evaluation.json'],
      },
    });
  });

  it('accepts an uncompressed ModelDataSource object', () => {
    const containers = [{ Image: image, ModelDataSource: { S3DataSource: { S3Uri: 's3://training/m/model.onnx', S3DataType: 'S3Object' as const, CompressionType: 'None' as const } } }];
    const check = checkModelPackage(describedPackage({ InferenceSpecification: { Containers: containers } }));
    expect(check.ok && check.servable.artifact).toEqual({ bucket: 'training', key: 'm/model.onnx' });
  });

  it('rejects a model.tar.gz, saying to register the .onnx file itself', () => {
    const containers = [{ Image: image, ModelDataUrl: 's3://training/run-42/output/model.tar.gz' }];
    expect(checkModelPackage(describedPackage({ InferenceSpecification: { Containers: containers } }))).toEqual({
      ok: false,
      reasons: ['no ONNX artifact: s3://training/run-42/output/model.tar.gz is an archive; register the .onnx file itself as ModelDataUrl'],
    });
  });

  it('rejects a package without inference containers or metrics, giving both reasons', () => {
    expect(checkModelPackage(describedPackage({ InferenceSpecification: undefined, ModelMetrics: {} }))).toEqual({
      ok: false,
      reasons: ['no ONNX artifact: InferenceSpecification.Containers point at no model data', 'no evaluation metrics: ModelMetrics names no report'],
    });
  });

  it('finds metrics in any ModelMetrics category', () => {
    const check = checkModelPackage(describedPackage({ ModelMetrics: { Bias: { PostTrainingReport: { ContentType: 'application/json', S3Uri: 's3://b/bias.json' } } } }));
    expect(check.ok && check.servable.metricsUris).toEqual(['s3://b/bias.json']);
  });

  it('rejects two different ONNX artifacts, compressed sources and unversioned packages', () => {
    const containers = [
      { Image: image, ModelDataUrl: 's3://training/a/model.onnx' },
      { Image: image, ModelDataUrl: 's3://training/b/model.onnx' },
      { Image: image, ModelDataSource: { S3DataSource: { S3Uri: 's3://training/c/', S3DataType: 'S3Prefix' as const, CompressionType: 'Gzip' as const } } },
    ];
    const check = checkModelPackage(describedPackage({ InferenceSpecification: { Containers: containers }, ModelPackageVersion: undefined }));
    expect(check).toEqual({
      ok: false,
      reasons: [
        'it is not a versioned model package (no ModelPackageGroupName/ModelPackageVersion)',
        's3://training/c/ is a S3Prefix source with Gzip compression; only a single uncompressed .onnx object can be served',
        'more than one ONNX artifact (s3://training/a/model.onnx, s3://training/b/model.onnx); the serving layout holds one model.onnx per version',
      ],
    });
  });

  it('rejects an ONNX artifact that is not in S3', () => {
    const containers = [{ Image: image, ModelDataUrl: 'https://example.com/model.onnx' }];
    expect(checkModelPackage(describedPackage({ InferenceSpecification: { Containers: containers } }))).toEqual({ ok: false, reasons: ['https://example.com/model.onnx is not an s3:// URI'] });
  });
});

describe('approvalEventSchema', () => {
  it('parses the documented event shape', () => {
    const event = approvalEventSchema.parse(approvalEvent());
    expect(event.detail).toMatchObject({ ModelPackageGroupName: 'churn-classifier', ModelPackageVersion: 3, ModelApprovalStatus: 'Approved' });
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
