import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { LAYOUT_ENVIRONMENT } from '../../lib/lakehouse';
import { parseArchiveLimitsByModel, PROMOTION_ARCHIVE_LIMITS_ENV } from '../../lib/config/promotion';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/powertools';
import { parseEvaluationGates } from './evaluation-check';
import { parseModelPackageGroups } from './model-package-groups';
import { createPromoteHandler } from './promote-handler';
import { parseRepositoryPrefix } from './repository';
import { PROMOTE_SERVICE } from './promote-metrics';

const observability = createObservability(PROMOTE_SERVICE);
const { tracer } = observability;

const repository = {
  bucket: requireEnv('MODEL_REPOSITORY_BUCKET'),
  // Optional: an empty prefix puts models at the bucket root.
  prefix: parseRepositoryPrefix(process.env[LAYOUT_ENVIRONMENT.modelRepositoryPrefix] ?? ''),
};
const modelPackageGroups = parseModelPackageGroups(requireEnv('MODEL_PACKAGE_GROUPS'));
const archiveLimits = parseArchiveLimitsByModel(process.env[PROMOTION_ARCHIVE_LIMITS_ENV] ?? '{}');
// Optional: an environment without training has no gates; promotion then only requires that metrics are registered.
const evaluationGates = parseEvaluationGates(process.env.EVALUATION_GATES ?? '{}');

export const handler = createPromoteHandler(
  {
    sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})),
    s3: tracer.captureAWSv3Client(new S3Client({})),
    repository,
    modelPackageGroups,
    archiveLimits,
    evaluationGates,
  },
  observability,
);
