import type { DescribeModelPackageCommandOutput } from '@aws-sdk/client-sagemaker';

/** The dev environment's group of the churn-classifier model (ModelRegistry groupNamePrefix `dev-`). */
export const GROUP = 'dev-churn-classifier';
export const MODEL_PACKAGE_GROUPS: ReadonlyMap<string, string> = new Map([[GROUP, 'churn-classifier']]);
export const PACKAGE_ARN = `arn:aws:sagemaker:us-east-1:123456789012:model-package/${GROUP}/3`;

/** Shaped like the SageMaker guide's example "SageMaker Model Package State Change" event. */
export function approvalEvent(overrides: { status?: string; version?: number; arn?: string } = {}) {
  const arn = overrides.arn ?? PACKAGE_ARN;
  return {
    version: '0',
    id: '844e2571-85d4-695f-b930-0153b71dcb42',
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: '123456789012',
    time: '2024-03-01T17:00:14Z',
    region: 'us-east-1',
    resources: [arn],
    detail: {
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: overrides.version ?? 3,
      ModelPackageArn: arn,
      CreationTime: '2024-03-01T16:40:02Z',
      InferenceSpecification: {
        Containers: [{ Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1', ModelDataUrl: 's3://training/churn/model.onnx' }],
      },
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: overrides.status ?? 'Approved',
      LastModifiedTime: '2024-03-01T17:00:14Z',
    },
  };
}

/** A DescribeModelPackage response as the API reference documents it (fields this function reads, plus the usual rest). */
export function describedPackage(overrides: Partial<DescribeModelPackageCommandOutput> = {}): DescribeModelPackageCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    ModelPackageName: GROUP,
    ModelPackageGroupName: GROUP,
    ModelPackageVersion: 3,
    ModelPackageArn: PACKAGE_ARN,
    ModelPackageDescription: 'churn-classifier trained on customer-churn-features',
    CreationTime: new Date('2024-03-01T16:40:02Z'),
    InferenceSpecification: {
      Containers: [{ Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/onnx-serving:1', ModelDataUrl: 's3://training/churn-classifier/run-42/model.onnx' }],
      SupportedContentTypes: ['application/json'],
      SupportedResponseMIMETypes: ['application/json'],
    },
    ModelPackageStatus: 'Completed',
    ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
    CertifyForMarketplace: false,
    ModelApprovalStatus: 'Approved',
    ModelMetrics: {
      ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://training/churn-classifier/run-42/evaluation.json' } },
    },
    LastModifiedTime: new Date('2024-03-01T17:00:14Z'),
    ...overrides,
  };
}
