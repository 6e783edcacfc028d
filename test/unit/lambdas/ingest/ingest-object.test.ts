import { Readable } from 'node:stream';
import { customerEventsContract } from '../../../../lib/contracts';
import { PoisonObjectError } from '../../../../lambdas/ingest/errors';
import { ingestObject, type IngestSinks } from '../../../../lambdas/ingest/ingest-object';
import { BAD_ROWS, customerEventsCsv, EXPECTED_SILVER_COLUMNS, EXPECTED_SILVER_ROWS, GOOD_ROWS, CUSTOMER_EVENTS_HEADER } from './fixtures/customer-events';
import { readParquet } from './fixtures/parquet-read-back';

/** Sinks that keep what they are given in memory, and can be told to fail. */
function memorySinks(options: { failParquet?: Error } = {}) {
  const stored: { parquet?: Buffer; quarantine?: Buffer } = {};
  const consume = async (body: Readable): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const sinks: IngestSinks = {
    storeParquet: async (body) => {
      if (options.failParquet) {
        body.destroy();
        throw options.failParquet;
      }
      stored.parquet = await consume(body);
    },
    storeQuarantine: async (body) => {
      stored.quarantine = await consume(body);
    },
  };
  return { sinks, stored };
}

function quarantineLines(bytes: Buffer | undefined): unknown[] {
  return (bytes ?? Buffer.alloc(0))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
}

async function ingestText(text: string | Buffer, format: 'csv' | 'jsonl', parquetOptions?: { batchRows: number; rowGroupRows: number }) {
  const { sinks, stored } = memorySinks();
  const counts = await ingestObject({ input: Readable.from([text]), format, contract: customerEventsContract, sinks, parquetOptions });
  return { counts, stored };
}

describe('ingestObject', () => {
  it('writes exactly the good rows to Parquet with the declared schema and the bad rows with reasons to quarantine', async () => {
    const { counts, stored } = await ingestText(customerEventsCsv(), 'csv');

    expect(counts).toEqual({ rowsIn: 7, rowsValid: 4, rowsQuarantined: 3 });
    expect(counts.rowsIn).toBe(counts.rowsValid + counts.rowsQuarantined);
    const silver = await readParquet(stored.parquet!);
    expect(silver.columns).toEqual(EXPECTED_SILVER_COLUMNS);
    expect(silver.rows).toEqual(EXPECTED_SILVER_ROWS);
    const quarantined = quarantineLines(stored.quarantine);
    expect(quarantined).toEqual(BAD_ROWS.map((b) => ({ line: b.line, record: expect.anything(), reasons: b.reasons })));
    expect(quarantined[0]).toMatchObject({ record: { event_id: 'evt-5', event_type: 'teleport' } });
    expect(quarantined[2]).toMatchObject({ record: ['evt-7', 'C00000005', '2026-05-01T08:00:00Z', 'login'] });
  });

  it('writes no quarantine object when every row is good, and an empty Parquet file when none is', async () => {
    const allGood = await ingestText([CUSTOMER_EVENTS_HEADER, ...GOOD_ROWS].join('\r\n'), 'csv');
    expect(allGood.counts).toEqual({ rowsIn: 4, rowsValid: 4, rowsQuarantined: 0 });
    expect(allGood.stored.quarantine).toBeUndefined();

    const allBad = await ingestText([CUSTOMER_EVENTS_HEADER, ...BAD_ROWS.map((b) => b.text)].join('\n'), 'csv');
    expect(allBad.counts).toEqual({ rowsIn: 3, rowsValid: 0, rowsQuarantined: 3 });
    const silver = await readParquet(allBad.stored.parquet!);
    expect(silver.rows).toEqual([]);
    expect(silver.columns.map((c) => c.name)).toEqual(EXPECTED_SILVER_COLUMNS.map((c) => c.name));
  });

  it('streams many rows through several batches and row groups without losing or reordering any', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      i % 10 === 9
        ? `evt-${i},C00000001,2026-05-01T08:00:00Z,login,pro,,,${i},,false,US`
        : `evt-${i},C00000001,2026-05-01T08:00:00Z,login,pro,,,${i % 600},,false,US`,
    );
    const { counts, stored } = await ingestText([CUSTOMER_EVENTS_HEADER, ...rows].join('\n'), 'csv', { batchRows: 100, rowGroupRows: 700 });
    const expectedValid = rows.filter((_, i) => i % 10 !== 9 || i <= 600).length;
    expect(counts).toEqual({ rowsIn: 2_500, rowsValid: expectedValid, rowsQuarantined: 2_500 - expectedValid });
    const silver = await readParquet(stored.parquet!);
    expect(silver.metadata.row_groups.length).toBeGreaterThan(1);
    expect(silver.rows.map((r) => r.event_id)).toEqual(rows.map((r) => r.split(',')[0]).filter((_, i) => i % 10 !== 9 || i <= 600));
  });

  it('ingests JSON Lines and quarantines lines that are not JSON objects', async () => {
    const lines = [
      JSON.stringify({
        event_id: 'evt-1',
        customer_id: 'C00000001',
        event_time: '2026-05-01T08:00:00Z',
        event_type: 'signup',
        plan: 'free',
        tenure_months: 0,
        is_trial: true,
        country: 'US',
      }),
      '',
      '{"event_id": broken',
      '[1, 2]',
      JSON.stringify({
        event_id: 'evt-2',
        customer_id: 'C00000002',
        event_time: '2026-05-01T08:00:00Z',
        event_type: 'login',
        plan: 'pro',
        tenure_months: 3,
        is_trial: false,
        colour: 'red',
      }),
    ];
    const { counts, stored } = await ingestText(lines.join('\n'), 'jsonl');
    expect(counts).toEqual({ rowsIn: 4, rowsValid: 1, rowsQuarantined: 3 });
    expect((await readParquet(stored.parquet!)).rows).toEqual([expect.objectContaining({ event_id: 'evt-1', is_trial: true, amount_usd: null })]);
    expect(quarantineLines(stored.quarantine)).toEqual([
      { line: 3, record: '{"event_id": broken', reasons: [expect.stringMatching(/^not valid JSON: /)] },
      { line: 4, record: [1, 2], reasons: ['expected a JSON object'] },
      { line: 5, record: expect.objectContaining({ colour: 'red' }), reasons: ['colour: not declared in contract customer-events v1'] },
    ]);
  });

  it.each([
    [
      'binary garbage as CSV',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x2c, 0x01]),
      'csv',
      /CSV header does not match contract customer-events v1/,
    ],
    ['a CSV whose header does not match', 'id,name\n1,ada\n', 'csv', /column "id" is not declared.*column "event_id" is missing/],
    ['an empty CSV', '', 'csv', /CSV object is empty/],
    ['binary garbage as JSON Lines', Buffer.from([0x00, 0xff, 0x13, 0x37]), 'jsonl', /not JSON Lines: line 1 is not JSON/],
  ] as const)('treats %s as a poison object and stores nothing', async (_, body, format, message) => {
    const { sinks, stored } = memorySinks();
    const attempt = ingestObject({ input: Readable.from([body]), format, contract: customerEventsContract, sinks });
    await expect(attempt).rejects.toThrow(PoisonObjectError);
    await expect(attempt).rejects.toThrow(message);
    expect(stored.parquet).toBeUndefined();
    expect(stored.quarantine).toBeUndefined();
  });

  it('fails, without hanging, when the Parquet store fails', async () => {
    const { sinks } = memorySinks({ failParquet: new Error('S3 is down') });
    const rows = Array.from({ length: 500 }, (_, i) => `evt-${i},C00000001,2026-05-01T08:00:00Z,login,pro,,,1,,false,US`);
    const attempt = ingestObject({
      input: Readable.from([[CUSTOMER_EVENTS_HEADER, ...rows].join('\n')]),
      format: 'csv',
      contract: customerEventsContract,
      sinks,
      parquetOptions: { batchRows: 10, rowGroupRows: 10 },
    });
    await expect(attempt).rejects.toThrow('S3 is down');
  });

  it('fails when reading the source fails midway', async () => {
    const { sinks, stored } = memorySinks();
    async function* brokenSource() {
      yield `${CUSTOMER_EVENTS_HEADER}\n${GOOD_ROWS[0]}\n`;
      throw new Error('connection reset');
    }
    await expect(ingestObject({ input: Readable.from(brokenSource()), format: 'csv', contract: customerEventsContract, sinks })).rejects.toThrow(
      'connection reset',
    );
    expect(stored.parquet).toBeUndefined();
  });
});
