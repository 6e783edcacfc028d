import { Readable } from 'node:stream';
import fc from 'fast-check';
import { customerEventsContract } from '../../../../lib/contracts';
import { ingestObject } from '../../../../lambdas/ingest/ingest-object';
import { costlyRuns } from '../../../support/fast-check-runs';
import { CUSTOMER_EVENTS_HEADER, loginEventJson, loginEventRow } from './fixtures/customer-events';
import { readParquet } from './fixtures/parquet-read-back';
import { memorySinks, quarantineRows } from './support/memory-sinks';

// Byte-level fuzzing of ingest: good rows (each with a unique event_id, so silver rows map back to their lines) mixed
// with hostile lines made of the bytes that matter to the parsers (quotes, commas, CR, LF, braces, a BOM, bytes that
// are not UTF-8), cut into random chunks. Whatever the input: no crash, rowsIn = valid + quarantined, and every
// non-blank line read is in exactly one place — a silver row or the line span of one quarantined record.

const MAX_RECORD_BYTES = 2048;
const SPECIAL_BYTES = [0x22, 0x2c, 0x0d, 0x0a, 0x7b, 0x7d, 0x5b, 0x5d, 0x5c, 0x3a, 0xef, 0xbb, 0xbf, 0xff, 0xc3, 0xa9, 0x80, 0x00, 0x20, 0x61, 0x31];

const hostileBytes = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom(...SPECIAL_BYTES), { maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }) },
  // Longer than maxRecordBytes, with or without a quote at the start of a field.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('', '"', 'a,"'), fc.integer({ min: MAX_RECORD_BYTES - 50, max: 3 * MAX_RECORD_BYTES }))
      .map(([head, n]) => [...Buffer.from(head), ...Buffer.alloc(n, 0x78)]),
  },
);

const csvGood = (id: number) => Buffer.from(loginEventRow(id));
const jsonGood = (id: number) => Buffer.from(loginEventJson(id));

/** The lines of `bytes` as forEachLine splits them (\n, \r\n, lone \r): the non-blank ones' numbers, and each line's text. */
function nonBlankLines(bytes: Buffer, format: 'csv' | 'jsonl'): { numbers: number[]; texts: Map<number, string> } {
  const texts = bytes.toString('latin1').split(/\r\n|\n|\r/);
  if (texts[texts.length - 1] === '') texts.pop();
  const numbers: number[] = [];
  const byNumber = new Map<number, string>();
  texts.forEach((text, i) => {
    byNumber.set(i + 1, text);
    const content = Buffer.from(i === 0 ? text.replace(/^\xef\xbb\xbf/, '') : text, 'latin1').toString('utf8');
    if (format === 'csv' ? content !== '' : content.trim() !== '') numbers.push(i + 1);
  });
  return { numbers, texts: byNumber };
}

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

async function checkCoverage(format: 'csv' | 'jsonl', first: Buffer, lines: (number[] | 'good')[], joiner: string, cuts: number[]) {
  let id = 0;
  const parts = lines.map((line) => (line === 'good' ? (format === 'csv' ? csvGood(++id) : jsonGood(++id)) : Buffer.from(line)));
  const bytes = Buffer.concat([first, ...parts.flatMap((part) => [Buffer.from(joiner), part])]);
  const { sinks, stored } = memorySinks();
  const counts = await ingestObject({
    input: Readable.from(chunked(bytes, cuts)),
    format,
    contract: customerEventsContract,
    sinks,
    limits: { maxRecordBytes: MAX_RECORD_BYTES },
  });

  expect(counts.rowsIn).toBe(counts.rowsValid + counts.rowsQuarantined);
  const silver = (await readParquet(stored.parquet!)).rows;
  const quarantined = quarantineRows(stored.quarantine);
  expect(silver).toHaveLength(counts.rowsValid);
  expect(quarantined).toHaveLength(counts.rowsQuarantined);

  // Map each silver row back to its line through its unique event_id; quarantined records name their lines.
  const { numbers, texts } = nonBlankLines(bytes, format);
  const lineOfId = new Map<string, number>();
  for (const [number, text] of texts) {
    const match = /^(?:\xef\xbb\xbf)?(?:\{"event_id":")?(evt-\d+)[,"]/.exec(text);
    if (match && number > (format === 'csv' ? 1 : 0)) lineOfId.set(match[1], number);
  }
  const covered: number[] = format === 'csv' ? [1] : [];
  for (const row of silver) covered.push(lineOfId.get(row.event_id as string)!);
  for (const entry of quarantined) {
    expect(entry.reasons.length).toBeGreaterThan(0);
    for (let n = entry.line; n <= (entry.lastLine ?? entry.line); n++) covered.push(n);
  }
  expect(covered.sort((a, b) => a - b)).toEqual(numbers);
}

describe('ingest fuzzing (property, byte level)', () => {
  const lines = fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant('good' as const) }, { weight: 2, arbitrary: hostileBytes }), {
    minLength: 1,
    maxLength: 30,
  });
  const joiner = fc.constantFrom('\n', '\r\n', '\r');
  const cuts = fc.array(fc.nat(), { maxLength: 8 });

  it('CSV: every line read is in silver or in quarantine with a reason, whatever the bytes and the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), lines, joiner, cuts, async (bom, body, join, at) => {
        const header = Buffer.from(`${bom ? '\ufeff' : ''}${CUSTOMER_EVENTS_HEADER}`);
        await checkCoverage('csv', header, body, join, at);
      }),
      { numRuns: costlyRuns(12) },
    );
  });

  it('JSON Lines: every line read is in silver or in quarantine with a reason, whatever the bytes and the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), lines, joiner, cuts, async (bom, body, join, at) => {
        const first = Buffer.concat([Buffer.from(bom ? '\ufeff' : ''), jsonGood(0)]);
        await checkCoverage('jsonl', first, body, join, at);
      }),
      { numRuns: costlyRuns(12) },
    );
  });
});
