import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  PutRecordCommand,
  SageMakerFeatureStoreRuntimeClient,
  SageMakerFeatureStoreRuntimeServiceException,
  type PutRecordCommandInput,
} from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { featureGroupSchema } from '../../../../lib/features';
import { materializeSilverObject, type MaterializeDeps } from '../../../../lambdas/materialize-features/materialize';
import { parseSilverObject } from '../../../../lambdas/materialize-features/silver-object';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';

const SILVER = 'silver';
const GOLD = 'gold';
const KEY = 'datasets/dataset=customer-events/ingest_date=2024-03-01/events-5e1f.parquet';
const OFFLINE_DATA = 'feature-store/123456789012/sagemaker/us-east-1/offline-store/dev-customer-churn-features-1700000000/data/';
const GROUP = 'dev-customer-churn-features';
const ETAG = '"5e1f0c"';

const group = featureGroupSchema.parse({
  name: GROUP,
  sourceDataset: 'customer-events',
  recordIdentifierFeature: 'customer_id',
  eventTimeFeature: 'event_time',
  features: [
    { name: 'customer_id', type: 'String' },
    { name: 'event_time', type: 'String' },
    { name: 'tenure_months', type: 'Integral' },
  ],
});

/** 60 events of 7 customers over three hours, in 6 row groups of 10; each customer's events come out of time order. */
const ROWS = Array.from({ length: 60 }, (_, i) => ({
  customer_id: `C-${i % 7}`,
  event_time: new Date(Date.UTC(2024, 2, 1, 9, 0) + ((i * 37) % 180) * 60_000),
  tenure_months: BigInt(i),
}));

/** What the online store must end at: per customer, the row with the latest event time (the later row on a tie). */
function newestPerCustomer(): Map<string, string> {
  const newest = new Map<string, { time: number; tenure: string }>();
  for (const row of ROWS) {
    const current = newest.get(row.customer_id);
    if (!current || row.event_time.getTime() >= current.time)
      newest.set(row.customer_id, { time: row.event_time.getTime(), tenure: row.tenure_months.toString() });
  }
  return new Map([...newest].map(([id, { tenure }]) => [id, tenure]));
}

const featureStoreMock = mockClient(SageMakerFeatureStoreRuntimeClient);
const sagemakerMock = mockClient(SageMakerClient);
/** The online store as Feature Store keeps it: one record per identifier, the last PutRecord wins. */
let onlineStore: Map<string, string>;
let putRecordCalls: PutRecordCommandInput[];

let fixture: S3rverFixture;
let size: number;

beforeAll(async () => {
  fixture = await startS3rver([SILVER, GOLD]);
  const body = new Uint8Array(
    parquetWriteBuffer({
      rowGroupSize: 10,
      columnData: [
        { name: 'customer_id', data: ROWS.map((r) => r.customer_id), type: 'STRING' },
        { name: 'event_time', data: ROWS.map((r) => r.event_time), type: 'TIMESTAMP' },
        { name: 'tenure_months', data: ROWS.map((r) => r.tenure_months), type: 'INT64' },
      ],
    }),
  );
  size = body.byteLength;
  await fixture.s3.send(new PutObjectCommand({ Bucket: SILVER, Key: KEY, Body: body }));
});

afterAll(() => fixture.stop());

beforeEach(async () => {
  for (const [bucket, prefix] of [
    [SILVER, 'materialization-progress/'],
    [GOLD, ''],
  ] as const) {
    const { Contents = [] } = await fixture.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    for (const { Key } of Contents) await fixture.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  }
  onlineStore = new Map();
  putRecordCalls = [];
  sagemakerMock.reset();
  sagemakerMock
    .on(DescribeFeatureGroupCommand, { FeatureGroupName: GROUP })
    .resolves({ OfflineStoreConfig: { S3StorageConfig: { S3Uri: `s3://${GOLD}/feature-store`, ResolvedOutputS3Uri: `s3://${GOLD}/${OFFLINE_DATA}` } } });
  featureStoreMock.reset();
});

/** A client of the same S3 server whose `failOn`-th PutObject into the offline store fails (the function dies there). */
function s3FailingAt(failOn: number | undefined, puts: string[]): S3Client {
  const client = new S3Client({
    endpoint: fixture.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string };
      if (args.input && input.Bucket === GOLD && input.Key?.startsWith(OFFLINE_DATA) && 'Body' in args.input) {
        puts.push(input.Key);
        if (puts.length === failOn) throw new Error('injected: the function stops half-way through the file');
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return client;
}

function deps(s3: S3Client): MaterializeDeps {
  return {
    s3,
    sagemaker: new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    featureStore: new SageMakerFeatureStoreRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    featureGroups: [group],
    reportBucket: SILVER,
    concurrency: 4,
    backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
  };
}

/** Every PutRecord lands in the simulated online store unless `fail` says otherwise. */
function onlineStoreAccepting(fail: (input: PutRecordCommandInput) => boolean = () => false): void {
  featureStoreMock.on(PutRecordCommand).callsFake(async (input: PutRecordCommandInput) => {
    if (fail(input))
      throw new SageMakerFeatureStoreRuntimeServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      });
    putRecordCalls.push(input);
    const value = (name: string) => input.Record!.find((feature) => feature.FeatureName === name)!.ValueAsString!;
    onlineStore.set(value('customer_id'), value('tenure_months'));
    return {};
  });
}

async function offlineStoreRows(): Promise<string[]> {
  const { Contents = [] } = await fixture.s3.send(new ListObjectsV2Command({ Bucket: GOLD, Prefix: OFFLINE_DATA }));
  const rows: string[] = [];
  for (const { Key } of Contents) {
    expect(Key).toMatch(/\/year=2024\/month=03\/day=01\/hour=(09|10|11)\/20240301T\d{6}Z_[0-9a-f]{16}\.parquet$/);
    const bytes = await (await fixture.s3.send(new GetObjectCommand({ Bucket: GOLD, Key }))).Body!.transformToByteArray();
    const records = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    rows.push(...records.map((record) => `${record.customer_id}@${record.event_time}#${record.tenure_months}`));
  }
  return rows.sort();
}

const everyRowOnce = () => ROWS.map((row) => `${row.customer_id}@${row.event_time.toISOString()}#${row.tenure_months}`).sort();
const silverObject = () => parseSilverObject(SILVER, KEY, size)!;

describe('materialize-features: exactly once across a failure and a redelivery (offline store on s3rver)', () => {
  it('dies half-way through the offline writes, then the redelivery resumes: every record offline once, the online store at the newest record', async () => {
    onlineStoreAccepting();
    const firstPuts: string[] = [];
    // Row groups 0-2 written (several hourly files each), then the next file write fails.
    await expect(materializeSilverObject(deps(s3FailingAt(7, firstPuts)), silverObject(), ETAG)).rejects.toThrow('injected');
    expect(putRecordCalls).toHaveLength(0);

    const secondPuts: string[] = [];
    const [summary] = await materializeSilverObject(deps(s3FailingAt(undefined, secondPuts)), silverObject(), ETAG);
    expect(summary.resumedAt.offline).toBeGreaterThan(0);
    expect(summary.offlineWritten).toBe(60 - summary.resumedAt.offline * 10);
    expect(await offlineStoreRows()).toEqual(everyRowOnce());
    expect(onlineStore).toEqual(newestPerCustomer());
    expect(putRecordCalls).toHaveLength(7);
    expect(putRecordCalls.every((call) => call.TargetStores?.join() === 'OnlineStore')).toBe(true);
  });

  it('fails in the online phase, then the redelivery rewrites nothing offline and resumes the online store at the row group that failed', async () => {
    let throttled = true;
    onlineStoreAccepting((input) => throttled && input.Record!.some((f) => f.FeatureName === 'customer_id' && f.ValueAsString === 'C-3'));
    const firstPuts: string[] = [];
    const [first] = await materializeSilverObject(deps(s3FailingAt(undefined, firstPuts)), silverObject(), ETAG);
    expect(first).toMatchObject({ offlineWritten: 60, failed: 1 });

    throttled = false;
    const callsBefore = putRecordCalls.length;
    const secondPuts: string[] = [];
    const [second] = await materializeSilverObject(deps(s3FailingAt(undefined, secondPuts)), silverObject(), ETAG);
    expect(second).toMatchObject({ offlineWritten: 0, failed: 0, resumedAt: { offline: 6 } });
    expect(secondPuts).toEqual([]);
    expect(second.resumedAt.online).toBeGreaterThanOrEqual(0);
    expect(callsBefore + second.onlineWritten).toBeLessThanOrEqual(7 + 1);
    expect(await offlineStoreRows()).toEqual(everyRowOnce());
    expect(onlineStore).toEqual(newestPerCustomer());
  });

  it('a redelivery of a file already done writes nothing at all', async () => {
    onlineStoreAccepting();
    await materializeSilverObject(deps(s3FailingAt(undefined, [])), silverObject(), ETAG);
    const calls = putRecordCalls.length;
    const puts: string[] = [];
    const [again] = await materializeSilverObject(deps(s3FailingAt(undefined, puts)), silverObject(), ETAG);
    expect(again).toMatchObject({ offlineWritten: 0, onlineWritten: 0, resumedAt: { offline: 6, online: 6 } });
    expect(puts).toEqual([]);
    expect(putRecordCalls).toHaveLength(calls);
    expect(await offlineStoreRows()).toEqual(everyRowOnce());
  });
});
