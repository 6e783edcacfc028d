import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { featureGroupsSchema } from '../../lib/features';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/powertools';
import { DEFAULT_BACKOFF } from './backoff';
import { createMaterializeHandler } from './materialize-handler';
import { MATERIALIZE_SERVICE } from './materialize-metrics';

const observability = createObservability(MATERIALIZE_SERVICE);
const { tracer } = observability;

/** JSON array of feature group definitions (lib/features/feature-group.ts), validated at init. */
const featureGroups = featureGroupsSchema.parse(JSON.parse(requireEnv('FEATURE_GROUPS')));
const concurrency = Number(process.env.PUT_RECORD_CONCURRENCY ?? '16');
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
  throw new Error(`PUT_RECORD_CONCURRENCY must be an integer from 1 to 256, got ${process.env.PUT_RECORD_CONCURRENCY}`);
}

export const handler = createMaterializeHandler(
  {
    s3: tracer.captureAWSv3Client(new S3Client({})),
    sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})),
    // Retries are ours (backoff with jitter, per record); the SDK's own would multiply them.
    featureStore: tracer.captureAWSv3Client(new SageMakerFeatureStoreRuntimeClient({ maxAttempts: 1 })),
    featureGroups,
    reportBucket: requireEnv('FAILURE_REPORT_BUCKET'),
    concurrency,
    backoff: DEFAULT_BACKOFF,
  },
  observability,
);
