import { Readable } from 'node:stream';
import { parquetMetadata } from 'hyparquet';
import { customerEventsContract, type DatasetContract } from '../../../../lib/contracts';
import { ingestObject } from '../../../../lambdas/ingest/ingest-object';
import { QuarantineWriter } from '../../../../lambdas/ingest/quarantine-writer';
import { CUSTOMER_EVENTS_HEADER, loginEventJson, loginEventRow } from './fixtures/customer-events';
import { readParquet } from './fixtures/parquet-read-back';
import { memorySinks, quarantineRows } from './support/memory-sinks';

// Each case reproduces a failure seen when ingest was attacked (issue 10) and states what must happen instead.

/** A dataset with a free-text field, where any text is valid: what is stored must be exactly what was sent. */
const notesContract: DatasetContract = {
  dataset: 'notes',
  version: 1,
  description: 'free text',
  fields: [
    { name: 'id', type: 'integer', required: true },
    { name: 'note', type: 'string', required: false },
  ],
};

const toArrayBuffer = (bytes: Buffer) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

const goodRow = (i: number) => loginEventRow(i, i % 600);
const goodJson = loginEventJson;

async function ingest(input: Readable | string | Buffer, format: 'csv' | 'jsonl', contract = customerEventsContract, maxRecordBytes?: number, readRows = true) {
  const { sinks, stored } = memorySinks();
  const source = typeof input === 'string' || Buffer.isBuffer(input) ? Readable.from([input]) : input;
  const counts = await ingestObject({ input: source, format, contract, sinks, limits: maxRecordBytes === undefined ? undefined : { maxRecordBytes } });
  expect(counts.rowsIn).toBe(counts.rowsValid + counts.rowsQuarantined);
  const silver = readRows ? await readParquet(stored.parquet!) : { rows: [] };
  if (readRows) expect(silver.rows).toHaveLength(counts.rowsValid);
  else expect(Number(parquetMetadata(toArrayBuffer(stored.parquet!)).num_rows)).toBe(counts.rowsValid);
  const quarantined = quarantineRows(stored.quarantine);
  expect(quarantined).toHaveLength(counts.rowsQuarantined);
  return { counts, silver: silver.rows, quarantined };
}

describe('ingest of hostile CSV', () => {
  it('a stray quote inside an unquoted field makes only its own row bad (rows 3 and 500 of 1,000)', async () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => goodRow(i + 1));
    rows[2] = 'evt-3,C00000001,2026-05-01T08:00:00Z,login,pro,,,1,,false,U"S';
    rows[499] = 'evt-500,C0000"0001,2026-05-01T08:00:00Z,login,pro,,,1,,false,US';
    const { counts, silver, quarantined } = await ingest([CUSTOMER_EVENTS_HEADER, ...rows].join('\n'), 'csv');

    expect(counts).toEqual({ rowsIn: 1_000, rowsValid: 998, rowsQuarantined: 2 });
    expect(silver.map((r) => r.event_id)).toEqual(rows.map((_, i) => `evt-${i + 1}`).filter((id) => id !== 'evt-3' && id !== 'evt-500'));
    expect(quarantined).toEqual([
      {
        line: 4,
        record: rows[2],
        reasons: ['not valid CSV: field 11: a quote inside an unquoted field (column 60); quote the whole field and double the quote'],
      },
      { line: 501, record: rows[499], reasons: [expect.stringMatching(/^not valid CSV: field 2: a quote inside an unquoted field/)] },
    ]);
  });

  it.each([
    ['a stray quote', 'evt-2,C00000001,2026-05-01T08:00:00Z,login,pro,,,1,,false,"US', /quoted field opened on line 3 is not closed within 1048576 bytes/],
    [
      'a quote opening a field that never closes',
      '"evt-2,C00000001,2026-05-01T08:00:00Z,login,pro,,,1,,false,US',
      /quoted field opened on line 3 is not closed within/,
    ],
  ])('%s early in a 100,000-row file costs that row only, never the object', async (_, bad, reason) => {
    const rows = Array.from({ length: 100_000 }, (_, i) => goodRow(i + 1));
    rows[1] = bad;
    const { counts, quarantined } = await ingest([CUSTOMER_EVENTS_HEADER, ...rows].join('\n'), 'csv', customerEventsContract, undefined, false);
    expect(counts).toEqual({ rowsIn: 100_000, rowsValid: 99_999, rowsQuarantined: 1 });
    expect(quarantined).toEqual([{ line: 3, record: bad, reasons: [expect.stringMatching(reason)] }]);
  });

  it('a quoted field left open at the end of the object makes its line bad and reads the lines after it', async () => {
    const { counts, silver, quarantined } = await ingest(`${CUSTOMER_EVENTS_HEADER}\n${goodRow(1)}\n"evt-2,oops\n${goodRow(3)}\n${goodRow(4)}`, 'csv');
    expect(counts).toEqual({ rowsIn: 4, rowsValid: 3, rowsQuarantined: 1 });
    expect(silver.map((r) => r.event_id)).toEqual(['evt-1', 'evt-3', 'evt-4']);
    expect(quarantined[0]).toEqual({
      line: 3,
      record: '"evt-2,oops',
      reasons: ['not valid CSV: the quoted field opened on line 3 is not closed before the end of the object'],
    });
  });

  it('keeps quoted line breaks byte for byte (\\r\\n, lone \\r, \\n) and names the lines a record spans', async () => {
    const csv = 'id,note\r\n1,"a\r\nb"\r\n2,"c\rd"\r\n3,"e\nf"\r\n4,"say ""hi"", then, bye"\r\n5,"x\r\n\r\n"y\r\n6,plain';
    const { counts, silver, quarantined } = await ingest(csv, 'csv', notesContract);
    expect(silver).toEqual([
      { id: 1, note: 'a\r\nb' },
      { id: 2, note: 'c\rd' },
      { id: 3, note: 'e\nf' },
      { id: 4, note: 'say "hi", then, bye' },
      { id: 6, note: 'plain' },
    ]);
    // Record 5 closes its quote on line 11 and then has text after it: only the line that opened the quote is bad,
    // and the lines after it are read again on their own.
    expect(counts).toEqual({ rowsIn: 7, rowsValid: 5, rowsQuarantined: 2 });
    expect(quarantined).toEqual([
      { line: 9, record: '5,"x', reasons: [expect.stringMatching(/^not valid CSV: the quoted field opened on line 9 leads to an invalid record/)] },
      { line: 11, record: '"y', reasons: [expect.stringMatching(/quoted field opened on line 11 is not closed/)] },
    ]);
  });

  it('quarantines a row holding invalid UTF-8 with its reason, rather than storing U+FFFD without a word', async () => {
    const csv = Buffer.concat([
      Buffer.from('id,note\n1,caf\xc3\xa9 ok\n2,caf', 'latin1'),
      Buffer.from([0xe9, 0x20, 0xff]),
      Buffer.from('\n3,"multi\nline \xc3"\n4,fine\n', 'latin1'),
    ]);
    const { counts, silver, quarantined } = await ingest(csv, 'csv', notesContract);
    expect(silver).toEqual([
      { id: 1, note: 'café ok' },
      { id: 4, note: 'fine' },
    ]);
    expect(counts).toEqual({ rowsIn: 4, rowsValid: 2, rowsQuarantined: 2 });
    expect(quarantined).toEqual([
      {
        line: 3,
        record: { id: '2', note: 'caf\ufffd \ufffd' },
        reasons: ['line 3 is not valid UTF-8 at byte 5 (stored here with U+FFFD in place of the bad bytes)'],
      },
      {
        line: 4,
        lastLine: 5,
        record: { id: '3', note: 'multi\nline \ufffd' },
        reasons: ['line 5 is not valid UTF-8 at byte 5 (stored here with U+FFFD in place of the bad bytes)'],
      },
    ]);
  });

  it('strips a byte order mark the same way for CSV and JSON Lines', async () => {
    const bom = '\ufeff';
    const csv = await ingest(`${bom}${CUSTOMER_EVENTS_HEADER}\n${goodRow(1)}\n`, 'csv');
    const jsonl = await ingest(`${bom}${goodJson(1)}\n`, 'jsonl');
    expect(csv.counts).toEqual({ rowsIn: 1, rowsValid: 1, rowsQuarantined: 0 });
    expect(jsonl.counts).toEqual({ rowsIn: 1, rowsValid: 1, rowsQuarantined: 0 });
    // Only at the very start: a BOM further in is data, and breaks that row only.
    const inside = await ingest(`${goodJson(1)}\n${bom}${goodJson(2)}\n`, 'jsonl');
    expect(inside.counts).toEqual({ rowsIn: 2, rowsValid: 1, rowsQuarantined: 1 });
  });

  it('quarantines a 100 MB line with its first kilobyte and reads on, in bounded memory', async () => {
    const lineBytes = 100 * 1024 * 1024;
    async function* source() {
      yield `${CUSTOMER_EVENTS_HEADER}\n${goodRow(1)}\nevt-2,`;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let sent = 6; sent < lineBytes; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, lineBytes - sent));
      yield `\n${goodRow(3)}\n`;
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const { counts, silver, quarantined } = await ingest(Readable.from(source()), 'csv').finally(() => clearInterval(sampler));
    expect(counts).toEqual({ rowsIn: 3, rowsValid: 2, rowsQuarantined: 1 });
    expect(silver.map((r) => r.event_id)).toEqual(['evt-1', 'evt-3']);
    expect(quarantined[0]).toEqual({
      line: 3,
      record: `evt-2,${'x'.repeat(1018)}`,
      reasons: [`line is ${lineBytes} bytes, over the limit of 1048576 (maxRecordBytes); only its first 1024 characters are kept here`],
    });
    // Reading the whole line into memory took 930 MB; now the process grows by a few chunks at most.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('ingest of hostile JSON Lines', () => {
  it('quarantines a record nested 100,000 deep with its reason and ingests the good rows around it', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const deepObject = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const { counts, silver, quarantined } = await ingest([goodJson(1), deep, deepObject, goodJson(2)].join('\n'), 'jsonl');
    expect(counts).toEqual({ rowsIn: 4, rowsValid: 2, rowsQuarantined: 2 });
    expect(silver.map((r) => r.event_id)).toEqual(['evt-1', 'evt-2']);
    expect(quarantined.map(({ line, reasons }) => ({ line, reasons }))).toEqual([
      { line: 2, reasons: ['nested deeper than 64 levels'] },
      { line: 3, reasons: ['nested deeper than 64 levels'] },
    ]);
    expect(quarantined[0].record).toBe(deep);
  });

  it('quarantines an over-long JSON line and invalid UTF-8 per row', async () => {
    const long = JSON.stringify({ event_id: 'x'.repeat(5000) });
    const input = Buffer.concat([Buffer.from(`${goodJson(1)}\n${long}\n`), Buffer.from('{"event_id":"\xff"}\n', 'latin1'), Buffer.from(`${goodJson(4)}\n`)]);
    const { counts, quarantined } = await ingest(input, 'jsonl', customerEventsContract, 4096);
    expect(counts).toEqual({ rowsIn: 4, rowsValid: 2, rowsQuarantined: 2 });
    expect(quarantined.map(({ line, reasons }) => ({ line, reasons }))).toEqual([
      { line: 2, reasons: [expect.stringMatching(/^line is 5015 bytes, over the limit of 4096 \(maxRecordBytes\)/)] },
      { line: 3, reasons: ['line 3 is not valid UTF-8 at byte 13 (stored here with U+FFFD in place of the bad bytes)'] },
    ]);
  });
});

describe('QuarantineWriter', () => {
  it('never throws on a record JSON.stringify cannot serialize; it says why instead', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const writer = new QuarantineWriter();
    const written: Buffer[] = [];
    writer.output.on('data', (chunk: Buffer) => written.push(chunk));
    expect(() => writer.append({ line: 7, record: deep, reasons: ['expected a JSON object'] })).not.toThrow();
    writer.close();
    await new Promise((resolve) => writer.output.on('end', resolve));
    const entry = JSON.parse(Buffer.concat(written).toString()) as { line: number; reasons: string[] };
    expect(entry.line).toBe(7);
    expect(entry.reasons).toEqual(['expected a JSON object', expect.stringMatching(/^record not serializable as JSON \(Maximum call stack size exceeded\)/)]);
  });
});
