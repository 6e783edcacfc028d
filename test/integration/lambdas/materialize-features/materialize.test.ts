import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  PutRecordCommand,
  ResourceNotFound,
  SageMakerFeatureStoreRuntimeClient,
  SageMakerFeatureStoreRuntimeServiceException,
  ValidationError,
  type PutRecordCommandInput,
} from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SQSRecord } from 'aws-lambda';
import { parquetReadObjects } from 'hyparquet';
import { mockClient } from 'aws-sdk-client-mock';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { featureGroupSchema } from '../../../../lib/features';
import { materializeSilverObject, type MaterializeDeps } from '../../../../lambdas/materialize-features/materialize';
import { createRecordHandler } from '../../../../lambdas/materialize-features/materialize-handler';
import { parseSilverObject } from '../../../../lambdas/materialize-features/silver-object';
import { encodeS3EventKey } from '../../../support/s3-event-key';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';
import { captureEmf, type EmfCapture } from '../../../support/emf';

const SILVER = 'silver';
const GOLD = 'gold';
const OFFLINE_DATA = 'feature-store/123456789012/sagemaker/us-east-1/offline-store/customer-churn-features-1700000000/data/';
const KEY = 'datasets/dataset=customer-events/ingest_date=2024-03-01/0a1b2c3d.parquet';

const group = featureGroupSchema.parse({
  name: 'customer-churn-features',
  sourceDataset: 'customer-events',
  recordIdentifierFeature: 'customer_id',
  eventTimeFeature: 'event_time',
  features: [
    { name: 'customer_id', type: 'String' },
    { name: 'event_time', type: 'String' },
    { name: 'tenure_months', type: 'Integral' },
    { name: 'monthly_charges', type: 'Fractional' },
    { name: 'support_tickets', type: 'Integral' },
    { name: 'plan', type: 'String' },
  ],
});

/** Ten silver rows in three row groups; rows 4 and 9 have no event time, which every record needs. */
function silverParquet(): ArrayBuffer {
  const ids = Array.from({ length: 10 }, (_, i) => `C-${i + 1}`);
  return parquetWriteBuffer({
    rowGroupSize: 4,
    columnData: [
      { name: 'customer_id', data: ids, type: 'STRING' },
      {
        name: 'event_time',
        data: ids.map((_, i) => (i === 3 || i === 8 ? null : new Date(Date.UTC(2024, 2, 1, 10, i)))),
        type: 'TIMESTAMP',
        nullable: true,
      },
      { name: 'tenure_months', data: ids.map((_, i) => BigInt(i * 3)), type: 'INT64' },
      { name: 'monthly_charges', data: ids.map((_, i) => 20 + i * 0.5), type: 'DOUBLE' },
      { name: 'support_tickets', data: ids.map((_, i) => i % 3), type: 'INT32' },
      { name: 'plan', data: ids.map((_, i) => (i % 2 ? 'pro' : 'basic')), type: 'STRING' },
      { name: 'churned', data: ids.map((_, i) => i % 4 === 0), type: 'BOOLEAN' },
    ],
  });
}

const featureStoreMock = mockClient(SageMakerFeatureStoreRuntimeClient);
const sagemakerMock = mockClient(SageMakerClient);
const describeGroup = () =>
  sagemakerMock.on(DescribeFeatureGroupCommand, { FeatureGroupName: 'customer-churn-features' }).resolves({
    OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://gold/feature-store', ResolvedOutputS3Uri: `s3://${GOLD}/${OFFLINE_DATA.slice(0, -1)}` } },
  });
const throttling = () =>
  new SageMakerFeatureStoreRuntimeServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });
const idOf = (input: PutRecordCommandInput) => input.Record?.find((value) => value.FeatureName === 'customer_id')?.ValueAsString;

/** Every PutRecord succeeds except those for one customer, which fail with `error()`. */
function failFor(customerId: string, error: () => Error): void {
  featureStoreMock.on(PutRecordCommand).callsFake(async (input: PutRecordCommandInput) => {
    if (idOf(input) === customerId) throw error();
    return {};
  });
}

let fixture: S3rverFixture;
let deps: MaterializeDeps;
let size: number;

beforeAll(async () => {
  fixture = await startS3rver([SILVER, GOLD]);
  const body = new Uint8Array(silverParquet());
  size = body.byteLength;
  await fixture.s3.send(new PutObjectCommand({ Bucket: SILVER, Key: KEY, Body: body }));
  deps = {
    s3: fixture.s3,
    sagemaker: new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    featureStore: new SageMakerFeatureStoreRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    featureGroups: [group],
    reportBucket: SILVER,
    concurrency: 3,
    backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
  };
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(async () => {
  featureStoreMock.reset();
  sagemakerMock.reset();
  describeGroup();
  // Each test starts with no progress marker and an empty offline store.
  for (const [bucket, prefix] of [
    [SILVER, 'materialization-progress/'],
    [GOLD, ''],
  ] as const) {
    const { Contents = [] } = await fixture.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    for (const { Key } of Contents) await fixture.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  }
});

/** Every row of every offline-store file, read back from the S3 server. */
async function offlineRows(): Promise<Record<string, unknown>[]> {
  const { Contents = [] } = await fixture.s3.send(new ListObjectsV2Command({ Bucket: GOLD, Prefix: OFFLINE_DATA }));
  const rows: Record<string, unknown>[] = [];
  for (const { Key } of Contents) {
    const object = await fixture.s3.send(new GetObjectCommand({ Bucket: GOLD, Key }));
    const bytes = await object.Body!.transformToByteArray();
    rows.push(...(await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })));
  }
  return rows;
}

async function reportLines(key: string): Promise<Record<string, unknown>[]> {
  const object = await fixture.s3.send(new GetObjectCommand({ Bucket: SILVER, Key: key }));
  const text = await object.Body!.transformToString();
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function listReports(): Promise<string[]> {
  const listing = await fixture.s3.send(new ListObjectsV2Command({ Bucket: SILVER, Prefix: 'materialization-failures/' }));
  return (listing.Contents ?? []).map((object) => object.Key!);
}

describe('materializeSilverObject (silver Parquet on s3rver, Feature Store mocked)', () => {
  const silverObject = () => parseSilverObject(SILVER, KEY, size)!;

  it('writes every convertible row once offline and the newest per entity online (PutRecord shape), and reports the others with their reasons', async () => {
    featureStoreMock.on(PutRecordCommand).resolves({});
    const [summary] = await materializeSilverObject(deps, silverObject(), 'etag-1');

    expect(summary).toMatchObject({
      featureGroup: 'customer-churn-features',
      rows: 10,
      offlineWritten: 8,
      entities: 8,
      onlineWritten: 8,
      rejected: 2,
      failed: 0,
    });
    const offline = await offlineRows();
    expect(offline.map((row) => row.customer_id).sort()).toEqual(['C-1', 'C-10', 'C-2', 'C-3', 'C-5', 'C-6', 'C-7', 'C-8']);
    expect(offline.find((row) => row.customer_id === 'C-3')).toEqual({
      customer_id: 'C-3',
      event_time: '2024-03-01T10:02:00.000Z',
      tenure_months: 6n,
      monthly_charges: 21,
      support_tickets: 2n,
      plan: 'basic',
      write_time: expect.any(Date),
      api_invocation_time: expect.any(Date),
      is_deleted: false,
    });
    const inputs = featureStoreMock.commandCalls(PutRecordCommand).map((call) => call.args[0].input);
    expect(inputs.map(idOf).sort()).toEqual(['C-1', 'C-10', 'C-2', 'C-3', 'C-5', 'C-6', 'C-7', 'C-8']);
    expect(inputs.find((input) => idOf(input) === 'C-3')).toStrictEqual({
      FeatureGroupName: 'customer-churn-features',
      TargetStores: ['OnlineStore'],
      Record: [
        { FeatureName: 'customer_id', ValueAsString: 'C-3' },
        { FeatureName: 'event_time', ValueAsString: '2024-03-01T10:02:00.000Z' },
        { FeatureName: 'tenure_months', ValueAsString: '6' },
        { FeatureName: 'monthly_charges', ValueAsString: '21' },
        { FeatureName: 'support_tickets', ValueAsString: '2' },
        { FeatureName: 'plan', ValueAsString: 'basic' },
      ],
    });

    expect(summary.failureReportKey).toBe(
      'materialization-failures/feature-group=customer-churn-features/dataset=customer-events/ingest_date=2024-03-01/0a1b2c3d.jsonl',
    );
    const lines = await reportLines(summary.failureReportKey!);
    expect(lines.map((line) => [line.rowNumber, line.reasons])).toEqual([
      [4, ['event_time: column event_time is empty, but every record needs it']],
      [9, ['event_time: column event_time is empty, but every record needs it']],
    ]);
    expect(lines[0].row).toEqual({ customer_id: 'C-4', event_time: null, tenure_months: '9', monthly_charges: 21.5, support_tickets: 0, plan: 'pro' });
  });

  it('retries throttled records and counts the retries', async () => {
    featureStoreMock.on(PutRecordCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({});
    const [summary] = await materializeSilverObject(deps, silverObject(), 'etag-1');
    expect(summary).toMatchObject({ rows: 10, offlineWritten: 8, onlineWritten: 8, rejected: 2, failed: 0, retries: 2 });
    expect(featureStoreMock.commandCalls(PutRecordCommand)).toHaveLength(10);
  });

  it('adds records Feature Store refuses as invalid to the failure report, without retrying them', async () => {
    failFor('C-7', () => new ValidationError({ $metadata: { httpStatusCode: 400 }, message: 'monthly_charges out of range' }));
    const [summary] = await materializeSilverObject(deps, silverObject(), 'etag-1');
    expect(summary).toMatchObject({ rows: 10, offlineWritten: 8, onlineWritten: 7, rejected: 3, failed: 0 });
    const lines = await reportLines(summary.failureReportKey!);
    expect(lines.map((line) => [line.rowNumber, line.recordIdentifier ?? null])).toEqual([
      [4, null],
      [7, 'C-7'],
      [9, null],
    ]);
    expect(lines[1].reasons).toEqual(['ValidationError: monthly_charges out of range']);
  });
});

describe('materialize-features record handler (SQS partial batch failures)', () => {
  const logger = new Logger({ serviceName: 'materialize-features-test', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'materialize-features-test' });
  const recordHandler = () => createRecordHandler(deps, { logger, metrics });

  function sqsRecord(messageId: string, key: string, body?: string): SQSRecord {
    const event = {
      version: '0',
      id: `evt-${messageId}`,
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '123456789012',
      time: '2024-03-01T10:15:00Z',
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${SILVER}`],
      detail: {
        version: '0',
        bucket: { name: SILVER },
        object: { key, size, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
        'request-id': 'N4N7GDK58NMKJ12R',
        requester: '123456789012',
        reason: 'PutObject',
      },
    };
    return {
      messageId,
      receiptHandle: `handle-${messageId}`,
      body: body ?? JSON.stringify(event),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1709287200000', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '1709287200000' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:materialize-features',
      awsRegion: 'us-east-1',
    };
  }

  async function run(records: SQSRecord[]) {
    return processPartialResponse({ Records: records }, recordHandler(), new BatchProcessor(EventType.SQS), {
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  }

  /** EMF documents the handler printed (Powertools Metrics writes them to stdout). */
  let emf: EmfCapture;
  beforeEach(() => {
    emf = captureEmf();
  });
  afterEach(() => {
    emf.stop();
    metrics.clearMetrics();
  });

  it('fails only the message whose records could not be written, so SQS redelivers it', async () => {
    failFor('C-2', throttling);
    const response = await run([sqsRecord('m-1', KEY)]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    // Deterministic rejects are reported even though the message will be retried.
    expect(await listReports()).toContain(
      'materialization-failures/feature-group=customer-churn-features/dataset=customer-events/ingest_date=2024-03-01/0a1b2c3d.jsonl',
    );
    const counts = Object.fromEntries(
      emf.documents
        .filter((document) => document.FeatureGroup === 'customer-churn-features')
        .flatMap((document) => Object.entries(document).filter(([name]) => name.startsWith('Feature') && name !== 'FeatureGroup')),
    );
    expect(counts).toEqual({
      FeatureRowsRead: 10,
      FeatureRecordsWrittenOffline: 8,
      // The online phase stops at the row group that failed (the first), so the redelivery resumes there.
      FeatureRecordsWrittenOnline: 2,
      FeatureRecordsRejected: 2,
      FeatureRecordsFailed: 1,
      FeatureRecordRetries: 2,
    });
  });

  it('acknowledges skipped objects and fails malformed messages and unusable groups', async () => {
    featureStoreMock.on(PutRecordCommand).rejects(new ResourceNotFound({ $metadata: { httpStatusCode: 400 }, message: 'no such feature group' }));
    const response = await run([
      sqsRecord('quarantine', 'quarantine/dataset=customer-events/ingest_date=2024-03-01/0a1b2c3d.jsonl'),
      sqsRecord('other-dataset', 'datasets/dataset=web-logs/ingest_date=2024-03-01/ff.parquet'),
      sqsRecord('not-json', KEY, '{"detail-type":'),
      sqsRecord('group-missing', KEY),
    ]);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['not-json', 'group-missing']);
  });

  it('reads the silver object at the decoded key when S3 URL-encodes it ("=" of the partitions, spaces, "+", unicode)', async () => {
    featureStoreMock.on(PutRecordCommand).resolves({});
    const awkwardKey = 'datasets/dataset=customer-events/ingest_date=2024-03-01/red flower+1 é.parquet';
    const { Body } = await fixture.s3.send(new GetObjectCommand({ Bucket: SILVER, Key: KEY }));
    await fixture.s3.send(new PutObjectCommand({ Bucket: SILVER, Key: awkwardKey, Body: await Body!.transformToByteArray() }));
    const encoded = encodeS3EventKey(awkwardKey);
    expect(encoded).toBe('datasets/dataset%3Dcustomer-events/ingest_date%3D2024-03-01/red+flower%2B1+%C3%A9.parquet');
    expect(await run([sqsRecord('encoded', encoded)])).toEqual({ batchItemFailures: [] });
    expect(emf.documents.find((document) => document.FeatureGroup === 'customer-churn-features' && 'FeatureRowsRead' in document)?.FeatureRowsRead).toBe(10);
    expect(featureStoreMock.commandCalls(PutRecordCommand).length).toBeGreaterThan(0);
  });

  it('fails a file that lacks a column the feature group reads', async () => {
    featureStoreMock.on(PutRecordCommand).resolves({});
    const narrow = featureGroupSchema.parse({ ...group, features: [...group.features, { name: 'contract_type', type: 'String' }] });
    const handler = createRecordHandler({ ...deps, featureGroups: [narrow] }, { logger, metrics });
    await expect(handler(sqsRecord('m-2', KEY))).rejects.toThrow('has no column contract_type, which feature group customer-churn-features reads');
    expect(featureStoreMock.commandCalls(PutRecordCommand)).toHaveLength(0);
  });
});
