import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { featureGroupsSchema } from '../../lib/features';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/powertools';
import { DEFAULT_BACKOFF } from './backoff';
import { createRecordHandler } from './record-handler';
import { MATERIALIZE_SERVICE } from './materialize-metrics';

const { logger, metrics, tracer } = createObservability(MATERIALIZE_SERVICE);

/** JSON array of feature group definitions (lib/features/feature-group.ts), validated at init. */
const featureGroups = featureGroupsSchema.parse(JSON.parse(requireEnv('FEATURE_GROUPS')));
const concurrency = Number(process.env.PUT_RECORD_CONCURRENCY ?? '16');
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
  throw new Error(`PUT_RECORD_CONCURRENCY must be an integer from 1 to 256, got ${process.env.PUT_RECORD_CONCURRENCY}`);
}

const s3 = tracer.captureAWSv3Client(new S3Client({}));
// Retries are ours (backoff with jitter, per record); the SDK's own would multiply them.
const featureStore = tracer.captureAWSv3Client(new SageMakerFeatureStoreRuntimeClient({ maxAttempts: 1 }));

const processor = new BatchProcessor(EventType.SQS);
const recordHandler = createRecordHandler(
  { s3, sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})), featureStore, featureGroups, reportBucket: requireEnv('FAILURE_REPORT_BUCKET'), concurrency, backoff: DEFAULT_BACKOFF },
  { logger, metrics },
);

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    // One file at a time: each already runs `concurrency` PutRecord calls.
    return await processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  } finally {
    metrics.publishStoredMetrics();
  }
};
