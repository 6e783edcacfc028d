import { S3Client } from '@aws-sdk/client-s3';
import { LAYOUT_ENVIRONMENT } from '../../lib/lakehouse';
import { requireEnv } from '../shared/env';
import { createObservability } from '../shared/powertools';
import { createIngestHandler } from './ingest-handler';
import { ingestLimitsFromEnv } from './ingest-limits';
import { INGEST_SERVICE } from './ingest-metric-names';
import { S3ObjectStore } from './s3-object-store';

const observability = createObservability(INGEST_SERVICE);
const s3 = observability.tracer.captureAWSv3Client(new S3Client({ maxAttempts: 5 }));

/** Lambda entry point: SQS (EventBridge "Object Created" events from bronze) with ReportBatchItemFailures. */
export const handler = createIngestHandler(
  {
    store: new S3ObjectStore(s3),
    silverBucket: requireEnv('SILVER_BUCKET'),
    quarantinePrefix: requireEnv(LAYOUT_ENVIRONMENT.quarantinePrefix),
    limits: ingestLimitsFromEnv(),
  },
  observability,
);
