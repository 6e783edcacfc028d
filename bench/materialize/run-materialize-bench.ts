// npm run bench:materialize [-- --rows N]
// A silver file as ingest writes it (N rows of the ingest benchmark's customer events, through the real ingest code),
// materialized by the real function code into an offline store on a local S3 server (s3rver); the online PutRecord
// calls are answered at once by a mock, so the run measures everything but their network time, which is then
// estimated from the documented PutRecord quota and a stated latency. Prints the figures and the assumptions.
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readCdkJsonContext } from '../../stacks/cdk-json-context';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PutRecordCommand, SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { customerEventsContract } from '../../lib/contracts';
import { loadEnvironment } from '../../lib/config';
import { ingestObject } from '../../lambdas/ingest/ingest-object';
import { DEFAULT_BACKOFF } from '../../lambdas/materialize-features/backoff';
import { materializeSilverObject } from '../../lambdas/materialize-features/materialize';
import { parseSilverObject } from '../../lambdas/materialize-features/silver-object';
import { startS3rver } from '../../test/support/s3rver';
import { generateCustomerEventsCsv } from '../ingest/generate-csv';

/** Lambda's maximum timeout (CreateFunction): what one silver file must fit in. */
const LAMBDA_LIMIT_SECONDS = 900;
/** Feature Store quota: 10,000 transactions per second per API per account, soft (Developer Guide, "Quotas, naming rules and data types"). */
const DOCUMENTED_PUT_RECORD_TPS = 10_000;
/** Assumed PutRecord round trip from a Lambda function in the region (not documented; a conservative figure). */
const ASSUMED_PUT_RECORD_LATENCY_MS = 25;
/** What the function runs with (stacks/platform-stack.ts PUT_RECORD_CONCURRENCY) and what it ran with before (one PutRecord per row). */
const CONCURRENCY = 32;
const OLD_CONCURRENCY = 16;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const rows = argument('rows', 1_000_000);
  const work = mkdtempSync(join(tmpdir(), 'bench-materialize-'));
  const s3rver = await startS3rver(['silver', 'gold']);
  try {
    const csv = join(work, 'events.csv');
    await generateCustomerEventsCsv(csv, rows);
    const parquetPath = join(work, 'silver.parquet');
    const store = (path: string) => (body: Readable) => pipeline(body, createWriteStream(path));
    const counts = await ingestObject({
      input: createReadStream(csv),
      format: 'csv',
      contract: customerEventsContract,
      sinks: { storeParquet: store(parquetPath), storeQuarantine: store(join(work, 'quarantine.jsonl')) },
    });
    const key = 'datasets/dataset=customer-events/ingest_date=2026-01-01/bench-0000000000000000.parquet';
    const body = readFileSync(parquetPath);
    const { ETag } = await s3rver.s3.send(new PutObjectCommand({ Bucket: 'silver', Key: key, Body: body }));

    const context = readCdkJsonContext(join(__dirname, '..', '..', 'cdk.json'));
    const group = loadEnvironment(context.environments, 'dev').config.featureGroups[0];
    const dataPrefix = `feature-store/123456789012/sagemaker/us-east-1/offline-store/${group.name}-1767225600/data/`;
    mockClient(SageMakerClient)
      .on(DescribeFeatureGroupCommand)
      .resolves({ OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://gold/feature-store', ResolvedOutputS3Uri: `s3://gold/${dataPrefix}` } } });
    mockClient(SageMakerFeatureStoreRuntimeClient).on(PutRecordCommand).resolves({});

    const started = performance.now();
    const [summary] = await materializeSilverObject(
      {
        s3: s3rver.s3,
        sagemaker: new SageMakerClient({ region: 'us-east-1' }),
        featureStore: new SageMakerFeatureStoreRuntimeClient({ region: 'us-east-1' }),
        featureGroups: [group],
        reportBucket: 'silver',
        concurrency: CONCURRENCY,
        backoff: DEFAULT_BACKOFF,
      },
      parseSilverObject('silver', key, body.byteLength)!,
      ETag,
    );
    const measuredSeconds = (performance.now() - started) / 1000;
    const { Contents = [] } = await s3rver.s3.send(new ListObjectsV2Command({ Bucket: 'gold', Prefix: dataPrefix }));

    const perFunctionTps = Math.min(CONCURRENCY / (ASSUMED_PUT_RECORD_LATENCY_MS / 1000), DOCUMENTED_PUT_RECORD_TPS);
    const onlineSeconds = summary.entities / perFunctionTps;
    const estimate = measuredSeconds + onlineSeconds;
    const oldTps = Math.min(OLD_CONCURRENCY / (ASSUMED_PUT_RECORD_LATENCY_MS / 1000), DOCUMENTED_PUT_RECORD_TPS);
    const oldEstimate = summary.offlineWritten / oldTps;
    const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);
    console.log(`materialize-features, one silver file of ${rows.toLocaleString('en-US')} source rows (${counts.rowsValid.toLocaleString('en-US')} valid)`);
    line('silver file', `${(body.byteLength / 1e6).toFixed(1)} MB, ${summary.rows.toLocaleString('en-US')} rows`);
    line('offline records written (Parquet files)', `${summary.offlineWritten.toLocaleString('en-US')} (${Contents.length} files)`);
    line('entities (online PutRecord calls)', `${summary.entities.toLocaleString('en-US')}`);
    line('rows rejected to the failure report', `${summary.rejected.toLocaleString('en-US')}`);
    line('measured: read + convert + offline writes + progress (s)', measuredSeconds.toFixed(1));
    line(
      `assumed: PutRecord ${ASSUMED_PUT_RECORD_LATENCY_MS} ms round trip, ${CONCURRENCY} in flight`,
      `${perFunctionTps.toFixed(0)} records/s (quota ${DOCUMENTED_PUT_RECORD_TPS}/s per account)`,
    );
    line('estimated: online PutRecord time (s)', onlineSeconds.toFixed(1));
    line(
      'estimated wall time in Lambda (s)',
      `${estimate.toFixed(1)} of ${LAMBDA_LIMIT_SECONDS} (${((estimate / LAMBDA_LIMIT_SECONDS) * 100).toFixed(0)}% of the limit)`,
    );
    line(
      `before: one PutRecord per row, ${OLD_CONCURRENCY} in flight (s)`,
      `${oldEstimate.toFixed(1)} (${(oldEstimate / estimate).toFixed(1)}x the new estimate)`,
    );
    console.log('(measured on this machine against s3rver on loopback; S3 latency in AWS adds one round trip per offline file and progress marker)');
  } finally {
    await s3rver.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
