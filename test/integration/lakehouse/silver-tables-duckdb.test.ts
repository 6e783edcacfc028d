import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Context, SQSRecord } from 'aws-lambda';
import { LakehouseStorage } from '../../../constructs/lakehouse';
import { customerEventsContract } from '../../../lib/contracts';
import { createIngestHandler } from '../../../lambdas/ingest/ingest-handler';
import { S3ObjectStore } from '../../../lambdas/ingest/s3-object-store';
import { BAD_ROWS, customerEventsCsv, EXPECTED_SILVER_ROWS } from '../../unit/lambdas/ingest/fixtures/customer-events';
import { objectCreatedEvent } from '../../unit/lambdas/ingest/fixtures/object-created-event';
import { fastCdkContext } from '../../support/cdk-context';
import { startS3rver, type S3rverFixture } from '../../support/s3rver';

/**
 * The silver Glue tables, proven against what ingest really writes: the ingest handler writes Parquet and quarantine
 * files to S3 on loopback, and DuckDB reads them back through exactly the synthesized tables' columns, types and
 * partition-projection location template (as Athena would), getting every row back.
 */

const BRONZE = 'bronze';
const SILVER = 'silver';
const INGEST_DATES = ['2026-05-01', '2026-05-02'];
/** Appended to the second day's file: a bad record over two lines (a quoted line break), so `lastline` is set. */
const TWO_LINE_BAD_RECORD = 'evt-9,C00000009,2026-05-01T08:00:00Z,teleport,pro,,,3,,false,"U\nS"\n';

/** How DuckDB names the Glue (Hive) types the tables declare. */
const DUCKDB_TYPE_OF_GLUE: Record<string, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  'array<string>': 'VARCHAR[]',
};

interface TableInput {
  Name: string;
  PartitionKeys: { Name: string; Type: string }[];
  Parameters: Record<string, string>;
  StorageDescriptor: { Columns: { Name: string; Type: string }[]; SerdeInfo: { SerializationLibrary: string; Parameters?: Record<string, string> } };
}

let fixture: S3rverFixture;
let root: string;
let tables: TableInput[];
let duckdb: DuckDBInstance;
let connection: DuckDBConnection;

/** The synthesized `s3://<silver bucket>/…` (the bucket name is a token) as a path in the local mirror of the bucket. */
function localPath(value: unknown): string {
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const url = parts.map((part) => (typeof part === 'string' ? part : '')).join(separator);
  expect(url.startsWith('s3:///')).toBe(true);
  return url.replace('s3:///', `${root}/`);
}

function sqsRecord(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify(body),
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ingest',
    awsRegion: 'us-east-1',
  } as unknown as SQSRecord;
}

beforeAll(async () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Lakehouse');
  new LakehouseStorage(stack, 'Lakehouse', { datasets: [customerEventsContract], firstIngestDate: '2026-01-01' });
  tables = Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table')).map((resource) => {
    return (resource as { Properties: { TableInput: TableInput } }).Properties.TableInput;
  });

  fixture = await startS3rver([BRONZE, SILVER]);
  const handler = createIngestHandler(
    { store: new S3ObjectStore(fixture.s3), silverBucket: SILVER },
    {
      logger: new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'MlopsBlueprint', serviceName: 'ingest' }),
      tracer: new Tracer({ serviceName: 'ingest' }),
    },
  );
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  for (const [index, date] of INGEST_DATES.entries()) {
    const key = `customer-events/${date}/events.csv`;
    const body = customerEventsCsv() + (index === 1 ? TWO_LINE_BAD_RECORD : '');
    const { ETag } = await fixture.s3.send(new PutObjectCommand({ Bucket: BRONZE, Key: key, Body: body }));
    const event = { ...objectCreatedEvent({ bucket: BRONZE, key, etag: ETag!.replace(/"/g, '') }), time: `${date}T12:00:00Z` };
    const response = await handler({ Records: [sqsRecord(`m-${index}`, event)] }, { functionName: 'ingest', awsRequestId: `r-${index}` } as Context);
    expect(response.batchItemFailures).toEqual([]);
  }
  jest.restoreAllMocks();

  // A local mirror of the silver bucket, so DuckDB reads the files at the keys ingest wrote.
  root = mkdtempSync(join(tmpdir(), 'silver-'));
  const { Contents = [] } = await fixture.s3.send(new ListObjectsV2Command({ Bucket: SILVER }));
  for (const { Key } of Contents) {
    const { Body } = await fixture.s3.send(new GetObjectCommand({ Bucket: SILVER, Key }));
    mkdirSync(dirname(join(root, Key!)), { recursive: true });
    writeFileSync(join(root, Key!), await Body!.transformToByteArray());
  }
  for (const table of tables) table.Parameters['storage.location.template'] = localPath(table.Parameters['storage.location.template']);
  duckdb = await DuckDBInstance.create(':memory:');
  connection = await duckdb.connect();
}, 120_000);

afterAll(async () => {
  connection?.closeSync();
  duckdb?.closeSync();
  await fixture?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function table(name: string): TableInput {
  const found = tables.find((t) => t.Name === name);
  if (!found) throw new Error(`no table ${name}; tables: ${tables.map((t) => t.Name).join(', ')}`);
  return found;
}

/** The projected partitions' locations: the template with each date of the projection range Athena would try. */
function projectedLocations(input: TableInput): string[] {
  const template = input.Parameters['storage.location.template'];
  const [first] = input.Parameters['projection.ingest_date.range'].split(',');
  const locations: string[] = [];
  for (let day = new Date(`${first}T00:00:00Z`); day <= new Date(`${INGEST_DATES.at(-1)}T00:00:00Z`); day = new Date(day.getTime() + 86_400_000)) {
    locations.push(template.replace('${ingest_date}', day.toISOString().slice(0, 10)));
  }
  return locations;
}

/** Reads one table the way Athena does: each projected partition's files, with the partition column from the template. */
async function query(input: TableInput): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const columns = [...input.StorageDescriptor.Columns, ...input.PartitionKeys];
  const parquet = input.StorageDescriptor.SerdeInfo.SerializationLibrary.includes('Parquet');
  const selects: string[] = [];
  for (const location of projectedLocations(input)) {
    const date = /ingest_date=(\d{4}-\d{2}-\d{2})\/$/.exec(location)![1];
    const files = `'${location}*'`;
    const exists = await connection.runAndReadAll(`SELECT count(*) AS n FROM glob(${files})`);
    if (Number(exists.getRowObjectsJS()[0].n) === 0) continue;
    // The OpenX SerDe with case.insensitive FALSE reads column c from the JSON key `mapping.c` (else c itself).
    const jsonKey = (column: string) => input.StorageDescriptor.SerdeInfo.Parameters?.[`mapping.${column}`] ?? column;
    const dataColumns = input.StorageDescriptor.Columns.map((c) => `"${jsonKey(c.Name)}": '${DUCKDB_TYPE_OF_GLUE[c.Type]}'`).join(', ');
    const source = parquet ? `read_parquet(${files})` : `read_json(${files}, format = 'newline_delimited', columns = {${dataColumns}})`;
    const selected = input.StorageDescriptor.Columns.map((c) => (parquet ? `"${c.Name}"` : `"${jsonKey(c.Name)}" AS "${c.Name}"`));
    selects.push(`SELECT ${selected.join(', ')}, '${date}' AS ingest_date FROM ${source}`);
  }
  const sql = selects.join(' UNION ALL ');
  const described = await connection.runAndReadAll(`DESCRIBE ${sql}`);
  const types = Object.fromEntries(described.getRowObjectsJS().map((row) => [row.column_name as string, row.column_type as string]));
  expect(Object.keys(types)).toEqual(columns.map((c) => c.Name));
  const result = await connection.runAndReadAll(`${sql} ORDER BY ingest_date, 1`);
  return { types, rows: result.getRowObjectsJS() };
}

describe('silver Glue tables read with DuckDB', () => {
  test('the dataset table: every valid row of every partition, each column with the declared type', async () => {
    const input = table('customer_events');
    const { types, rows } = await query(input);
    for (const column of input.StorageDescriptor.Columns)
      expect(`${column.Name} ${types[column.Name]}`).toBe(`${column.Name} ${DUCKDB_TYPE_OF_GLUE[column.Type]}`);
    expect(rows).toHaveLength(EXPECTED_SILVER_ROWS.length * INGEST_DATES.length);
    const expected = INGEST_DATES.flatMap((date) => EXPECTED_SILVER_ROWS.map((row) => ({ ...row, event_time: row.event_time.getTime(), ingest_date: date })));
    expect(rows.map((row) => ({ ...row, event_time: (row.event_time as Date).getTime() }))).toEqual(expected);
  });

  test('the quarantine table: every rejected row with its line and reasons', async () => {
    const input = table('customer_events_quarantine');
    const { types, rows } = await query(input);
    expect(types).toEqual({ line: 'BIGINT', lastline: 'BIGINT', reasons: 'VARCHAR[]', ingest_date: 'VARCHAR' });
    const expected = INGEST_DATES.flatMap((date) =>
      BAD_ROWS.map((bad) => ({ line: BigInt(bad.line), lastline: null, reasons: bad.reasons, ingest_date: date })),
    );
    expect(rows.slice(0, -1)).toEqual(expected);
    expect(rows.at(-1)).toMatchObject({
      line: 9n,
      lastline: 10n,
      ingest_date: INGEST_DATES[1],
      reasons: expect.arrayContaining([expect.stringContaining('event_type')]),
    });
  });

  test('partition projection covers the ingest dates, and the partition template is where ingest writes', () => {
    for (const name of ['customer_events', 'customer_events_quarantine']) {
      const input = table(name);
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.ingest_date.type': 'date',
        'projection.ingest_date.format': 'yyyy-MM-dd',
      });
      expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'ingest_date', Type: 'string' })]);
    }
  });
});
