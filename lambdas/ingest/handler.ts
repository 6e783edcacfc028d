import { S3Client } from '@aws-sdk/client-s3';
import { LAYOUT_ENVIRONMENT } from '../../lib/lakehouse';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/powertools';
import { ingestLimitsFromEnv } from './ingest-limits';
import { makeIngestHandler } from './make-ingest-handler';
import { S3ObjectStore } from './s3-object-store';

const { logger, metrics, tracer } = createObservability('ingest');
const s3 = tracer.captureAWSv3Client(new S3Client({ maxAttempts: 5 }));

/** Lambda entry point: SQS (EventBridge "Object Created" events from bronze) with ReportBatchItemFailures. */
export const handler = makeIngestHandler({
  store: new S3ObjectStore(s3),
  silverBucket: requireEnv('SILVER_BUCKET'),
  quarantinePrefix: requireEnv(LAYOUT_ENVIRONMENT.quarantinePrefix),
  limits: ingestLimitsFromEnv(),
  logger,
  metrics,
});
