import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Context } from 'aws-lambda';
import { LAYOUT_ENVIRONMENT } from '../../lib/lakehouse';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/powertools';
import { createApprovalHandler, type HandlerResult } from './approval-handler';
import { parseEvaluationGates } from './evaluation-check';
import { parseModelPackageGroups } from './model-package-groups';
import { parseRepositoryPrefix } from './repository';

const { logger, metrics, tracer } = createObservability('promote-model');

const repository = {
  bucket: requireEnv('MODEL_REPOSITORY_BUCKET'),
  // Optional: an empty prefix puts models at the bucket root.
  prefix: parseRepositoryPrefix(process.env[LAYOUT_ENVIRONMENT.modelRepositoryPrefix] ?? ''),
};
const modelPackageGroups = parseModelPackageGroups(requireEnv('MODEL_PACKAGE_GROUPS'));
// Optional: an environment without training has no gates; promotion then only requires that metrics are registered.
const evaluationGates = parseEvaluationGates(process.env.EVALUATION_GATES ?? '{}');
const approvalHandler = createApprovalHandler(
  { sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})), s3: tracer.captureAWSv3Client(new S3Client({})), repository, modelPackageGroups, evaluationGates },
  { logger, metrics },
);

export const handler = async (event: unknown, context: Context): Promise<HandlerResult> => {
  logger.addContext(context);
  try {
    return await approvalHandler(event);
  } finally {
    metrics.publishStoredMetrics();
  }
};
