import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSRecord } from 'aws-lambda';
import { createIngestHandler } from '../../../../lambdas/ingest/ingest-handler';
import { S3ObjectStore } from '../../../../lambdas/ingest/s3-object-store';
import { BAD_ROWS, customerEventsCsv, EXPECTED_SILVER_COLUMNS, EXPECTED_SILVER_ROWS } from '../../../unit/lambdas/ingest/fixtures/customer-events';
import { objectCreatedEvent } from '../../../unit/lambdas/ingest/fixtures/object-created-event';
import { readParquet } from '../../../unit/lambdas/ingest/fixtures/parquet-read-back';
import { encodeS3EventKey } from '../../../support/s3-event-key';
import { startS3rver, type S3rverFixture } from '../../../support/s3rver';

const BRONZE = 'bronze';
const SILVER = 'silver';
const context = { functionName: 'ingest', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ingest' } as Context;

let fixture: S3rverFixture;
let s3: S3Client;
let output: string[];

beforeAll(async () => {
  fixture = await startS3rver([BRONZE, SILVER]);
  s3 = fixture.s3;
});

afterAll(async () => {
  await fixture?.stop();
});

beforeEach(() => {
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(chunk.toString());
      return true;
    });
  }
});

afterEach(() => jest.restoreAllMocks());

function handler() {
  return createIngestHandler(
    { store: new S3ObjectStore(s3), silverBucket: SILVER },
    {
      logger: new Logger({ serviceName: 'ingest' }),
      metrics: new Metrics({ namespace: 'MlopsBlueprint', serviceName: 'ingest' }),
      tracer: new Tracer({ serviceName: 'ingest' }),
    },
  );
}

async function putBronze(key: string, body: string | Buffer): Promise<string> {
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: BRONZE, Key: key, Body: body }));
  return ETag!.replace(/"/g, '');
}

function sqsRecord(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'events', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ingest',
    awsRegion: 'us-east-1',
  };
}

function eventFor(key: string, etag: string): Record<string, unknown> {
  return objectCreatedEvent({ bucket: BRONZE, key, etag });
}

async function silverObjects(): Promise<{ key: string; etag: string; modified: number }[]> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: SILVER }));
  return Contents.map((o) => ({ key: o.Key!, etag: o.ETag!, modified: o.LastModified!.getTime() })).sort((a, b) => a.key.localeCompare(b.key));
}

async function silverBytes(key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: SILVER, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

function loggedJson(): Record<string, unknown>[] {
  return output
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function metricValue(name: string): unknown {
  return loggedJson().find((l) => name in l && '_aws' in l)?.[name];
}

describe('ingest handler against S3 on loopback (s3rver)', () => {
  const key = 'customer-events/2026/05/01/events.csv';
  let etag: string;

  it('writes the good rows as Parquet and the bad rows with reasons to quarantine, partitioned in silver', async () => {
    etag = await putBronze(key, customerEventsCsv());

    const response = await handler()({ Records: [sqsRecord('m-1', eventFor(key, etag))] }, context);

    expect(response.batchItemFailures).toEqual([]);
    const objects = await silverObjects();
    expect(objects.map((o) => o.key)).toEqual([
      expect.stringMatching(/^datasets\/dataset=customer-events\/ingest_date=2021-11-12\/events-[0-9a-f]{20}\.parquet$/),
      expect.stringMatching(/^quarantine\/dataset=customer-events\/ingest_date=2021-11-12\/events-[0-9a-f]{20}\.jsonl$/),
    ]);
    const silver = await readParquet(await silverBytes(objects[0].key));
    expect(silver.columns).toEqual(EXPECTED_SILVER_COLUMNS);
    expect(silver.rows).toEqual(EXPECTED_SILVER_ROWS);
    const quarantined = (await silverBytes(objects[1].key))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reasons: string[] });
    expect(quarantined.map((q) => ({ line: q.line, reasons: q.reasons }))).toEqual(BAD_ROWS.map((b) => ({ line: b.line, reasons: b.reasons })));

    const rowsIn = metricValue('IngestRowsIn');
    expect(rowsIn).toBe(7);
    expect(rowsIn).toBe(silver.rows.length + quarantined.length);
    expect(metricValue('IngestRowsValid')).toBe(4);
    expect(metricValue('IngestRowsQuarantined')).toBe(3);
    expect(loggedJson().find((l) => 'IngestRowsIn' in l)).toMatchObject({ dataset: 'customer-events', service: 'ingest' });
  });

  it('writes nothing new when the same object version is delivered again', async () => {
    const before = await silverObjects();

    const response = await handler()({ Records: [sqsRecord('m-2', eventFor(key, etag))] }, context);

    expect(response.batchItemFailures).toEqual([]);
    expect(await silverObjects()).toEqual(before);
    expect(metricValue('IngestObjectsAlreadyIngested')).toBe(1);
    expect(loggedJson()).toContainEqual(expect.objectContaining({ message: 'Object version already ingested; nothing written', key }));
  });

  it('reports a poison object and a poison message as batch item failures, with context, and still ingests the rest', async () => {
    const garbageKey = 'customer-events/2026/05/02/garbage.csv';
    const garbageEtag = await putBronze(garbageKey, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]));
    const goodKey = 'customer-events/2026/05/02/more.csv';
    const goodEtag = await putBronze(goodKey, customerEventsCsv());
    const before = await silverObjects();

    const response = await handler()(
      {
        Records: [
          sqsRecord('m-garbage', eventFor(garbageKey, garbageEtag)),
          sqsRecord('m-good', eventFor(goodKey, goodEtag)),
          sqsRecord('m-not-s3', { hello: 'world' }),
        ],
      },
      context,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-garbage' }, { itemIdentifier: 'm-not-s3' }]);
    const after = await silverObjects();
    expect(after.length - before.length).toBe(2);
    expect(after.filter((o) => o.key.includes('garbage'))).toEqual([]);
    expect(loggedJson()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Poison object: nothing written, message left to reach the DLQ',
        bucket: BRONZE,
        key: garbageKey,
        etag: garbageEtag,
        messageId: 'm-garbage',
        reason: expect.stringContaining('CSV header does not match contract customer-events v1'),
      }),
    );
    expect(loggedJson()).toContainEqual(expect.objectContaining({ level: 'ERROR', messageId: 'm-not-s3', reason: expect.stringContaining('detail') }));
    // EMF carries one value per poison message; CloudWatch sums them.
    expect(metricValue('IngestPoisonMessages')).toEqual([1, 1]);
  });

  it('reports a missing source object as a failure for SQS to redeliver', async () => {
    const response = await handler()({ Records: [sqsRecord('m-gone', eventFor('customer-events/none.csv', 'abc'))] }, context);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-gone' }]);
    expect(loggedJson()).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'Ingest failed; SQS will redeliver', key: 'customer-events/none.csv' }),
    );
  });

  it('reads the bronze object at the decoded key when S3 URL-encodes it (spaces, "+", "=", unicode)', async () => {
    const awkwardKey = 'customer-events/dt=2026-05-03/red flower+1 é.csv';
    const awkwardEtag = await putBronze(awkwardKey, customerEventsCsv());
    const event = eventFor(encodeS3EventKey(awkwardKey), awkwardEtag);
    expect(JSON.stringify(event)).toContain('customer-events/dt%3D2026-05-03/red+flower%2B1+%C3%A9.csv');

    const response = await handler()({ Records: [sqsRecord('m-awkward', event)] }, context);

    expect(response.batchItemFailures).toEqual([]);
    expect(loggedJson()).toContainEqual(expect.objectContaining({ message: 'Object ingested', key: awkwardKey, function_request_id: 'req-1' }));
    expect((await silverObjects()).map((o) => o.key)).toContainEqual(
      expect.stringMatching(/^datasets\/dataset=customer-events\/ingest_date=2021-11-12\/red_flower_1__-[0-9a-f]{20}\.parquet$/),
    );
  });
});
