import { Readable } from 'node:stream';
import fc from 'fast-check';
import { compileValidator, customerEventsContract } from '../../../../lib/contracts';
import { ingestObject } from '../../../../lambdas/ingest/ingest-object';
import { CUSTOMER_EVENTS_HEADER } from './fixtures/customer-events';
import { readParquet } from './fixtures/parquet-read-back';

// Plain CSV lines are checked on their bytes (the fast path) and anything unusual by the full validator: whichever
// path a record takes, silver must hold what the full validator makes of it, and quarantine the rest.
// Per field: values the contract accepts (some spelled unusually), then values it rejects.
const VALUES: [string[], string[]][] = [
  [
    ['evt-1', 'e', 'x'.repeat(64)],
    ['x'.repeat(65), 'évt', 'a b', ''],
  ],
  [['C00000001'], ['C1234567', 'C123456789', 'c00000001', '']],
  [
    ['2026-05-01T08:00:00Z', '2026-05-01T08:00Z', '2026-02-29T23:59:59.999999+14:00', '1969-12-31T23:59:59.5-00:30', '2026-05-01T24:00:00Z'],
    ['2026-05-01 08:00:00Z', ''],
  ],
  [
    ['signup', 'login', 'purchase'],
    ['Login', 'login ', ''],
  ],
  [
    ['free', 'pro', 'enterprise'],
    ['gold', ''],
  ],
  [
    ['0', '49.90', '-0', '+1.5', '.5', '5.', '1e3', '100000', '0.1234567890123456789', ''],
    ['100000.01', '-1'],
  ],
  [
    ['0', '1440', '007', ''],
    ['1440.5', '-1'],
  ],
  [
    ['0', '600', '-0', '+12'],
    ['601', '2147483648', '1.0', ''],
  ],
  [['0', '1000', ''], ['1001']],
  [
    ['true', 'false'],
    ['TRUE', '1', ''],
  ],
  [
    ['US', 'DE', '', 'ÉU'],
    ['usa', 'U'],
  ],
];

describe('ingestObject fast path', () => {
  it('stores exactly what the full validator accepts, whichever path a record takes (property)', async () => {
    const validate = compileValidator(customerEventsContract);
    const field = ([valid, invalid]: [string[], string[]]) =>
      fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 30 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
    const row = fc.tuple(...VALUES.map(field));
    let validSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 40, maxLength: 200 }), async (records) => {
        const chunks: Buffer[] = [];
        const sink = async (body: Readable) => {
          for await (const chunk of body) chunks.push(chunk as Buffer);
        };
        const csv = [CUSTOMER_EVENTS_HEADER, ...records.map((r) => r.join(','))].join('\n');
        const counts = await ingestObject({
          input: Readable.from([csv]),
          format: 'csv',
          contract: customerEventsContract,
          sinks: { storeParquet: sink, storeQuarantine: async () => {} },
        });
        const expected = records.flatMap((r) => {
          const result = validate(r);
          if (!result.ok) return [];
          const values = result.row.map((v, i) => {
            const { type } = customerEventsContract.fields[i];
            if (type === 'timestamp') return new Date(v as number);
            return type === 'integer' && v === 0 ? 0 : v; // an INT32 column has no -0
          });
          return [Object.fromEntries(customerEventsContract.fields.map((f, i) => [f.name, values[i]]))];
        });
        validSeen += expected.length;
        expect(counts).toEqual({ rowsIn: records.length, rowsValid: expected.length, rowsQuarantined: records.length - expected.length });
        expect((await readParquet(Buffer.concat(chunks))).rows).toEqual(expected);
      }),
      { numRuns: 8 },
    );
    expect(validSeen).toBeGreaterThan(100); // the generator does reach the fast path
  });
});
