import fc from 'fast-check';
import {
  compileBytePattern,
  compileValidator,
  fastBounds,
  FastStringCheck,
  parseBooleanBytes,
  parseDecimalBytes,
  parseIntegerBytes,
  parseTimestampBytes,
  type FieldContract,
} from '../../../../lib/contracts';

const PARSERS = { integer: parseIntegerBytes, number: parseDecimalBytes, timestamp: parseTimestampBytes, boolean: parseBooleanBytes };

/** The full validator's verdict on one field given as text: its typed value, or undefined when rejected. */
function fullVerdict(field: FieldContract, text: string): unknown {
  const result = compileValidator({ dataset: 'one-field', version: 1, description: '', fields: [field] })([text]);
  return result.ok ? result.row[0] : undefined;
}

/** The fast path's verdict on the same text placed inside a line (so a check that reads past its field is caught). */
function fastVerdict(field: FieldContract, text: string): { deferred: true } | { deferred: false; value: unknown } {
  const bytes = Buffer.from(`x,${text},9:Z+`, 'utf8');
  const start = 2;
  const end = start + Buffer.byteLength(text);
  if (field.type === 'string') return new FastStringCheck(field).accepts(bytes, start, end) ? { deferred: false, value: text } : { deferred: true };
  const n = PARSERS[field.type](bytes, start, end);
  const { min, max } = fastBounds(field);
  if (Number.isNaN(n) || ((field.type === 'integer' || field.type === 'number') && !(n >= min && n <= max))) return { deferred: true };
  return { deferred: false, value: field.type === 'boolean' ? n === 1 : n };
}

/** Accepting must be exact; deferring is always allowed. */
function expectAgreement(field: FieldContract, text: string): boolean {
  const fast = fastVerdict(field, text);
  if (fast.deferred) return true;
  expect(fast.value).toBe(fullVerdict(field, text));
  return true;
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const twoDigit = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));

describe('contract fast path (bytes)', () => {
  it('parses timestamps exactly as Date.parse does, and defers what it does not handle (property)', () => {
    const field: FieldContract = { name: 't', type: 'timestamp', required: true };
    const timestamp = fc
      .tuple(
        digits(4, 4),
        twoDigit,
        twoDigit,
        twoDigit,
        twoDigit,
        fc.option(twoDigit),
        fc.option(digits(1, 10)),
        fc.constantFrom('Z', '+', '-', 'z', ''),
        twoDigit,
        twoDigit,
      )
      .map(([y, mo, d, h, mi, s, frac, zone, oh, om]) => {
        const seconds = s === null ? '' : `:${s}${frac === null ? '' : `.${frac}`}`;
        const offset = zone === '+' || zone === '-' ? `${zone}${oh}:${om}` : zone;
        return `${y}-${mo}-${d}T${h}:${mi}${seconds}${offset}`;
      });
    fc.assert(
      fc.property(timestamp, (text) => expectAgreement(field, text)),
      { numRuns: 3000 },
    );
    expect(fastVerdict(field, '2026-03-01T10:00:00.1234+02:30')).toEqual({ deferred: false, value: Date.parse('2026-03-01T10:00:00.1234+02:30') });
    expect(fastVerdict(field, '1969-12-28T23:59:59.999Z')).toEqual({ deferred: false, value: Date.parse('1969-12-28T23:59:59.999Z') });
    expect(fastVerdict(field, '2026-02-30T00:00:00Z')).toEqual({ deferred: true }); // Date.parse rolls it over to March 2
  });

  it('parses decimals to the same double as Number(), within bounds (property)', () => {
    const field: FieldContract = { name: 'n', type: 'number', required: true, min: -50, max: 1e9 };
    const decimal = fc
      .tuple(fc.constantFrom('', '+', '-'), digits(0, 12), fc.constantFrom('', '.'), digits(0, 9), fc.constantFrom('', 'e3', 'x'))
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(decimal, (text) => expectAgreement(field, text)),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.double({ noNaN: true, min: -50, max: 1e9 }), (n) => expectAgreement(field, String(n))));
    expect(fastVerdict(field, '49.90')).toEqual({ deferred: false, value: 49.9 });
  });

  it('parses integers within the bounds and 32 bits (property)', () => {
    const field: FieldContract = { name: 'i', type: 'integer', required: true, min: -5, max: 600 };
    const integer = fc.tuple(fc.constantFrom('', '+', '-'), digits(0, 11), fc.constantFrom('', '.0', 'a')).map((parts) => parts.join(''));
    fc.assert(
      fc.property(integer, (text) => expectAgreement(field, text)),
      { numRuns: 2000 },
    );
    expect(fastVerdict(field, '007')).toEqual({ deferred: false, value: 7 });
    expect(fastVerdict(field, '601')).toEqual({ deferred: true });
  });

  it('accepts exactly "true" and "false" as booleans', () => {
    const field: FieldContract = { name: 'b', type: 'boolean', required: true };
    expect(['true', 'false', 'True', '1', 'falsey'].map((t) => fastVerdict(field, t))).toEqual([
      { deferred: false, value: true },
      { deferred: false, value: false },
      { deferred: true },
      { deferred: true },
      { deferred: true },
    ]);
  });

  it('accepts enum members and ASCII strings matching the pattern, and nothing else (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '_', ' ', 'é', 'C', 'x'), maxLength: 12 }).filter((t) => t !== '');
    const fields: FieldContract[] = [
      { name: 'e', type: 'string', required: true, enum: ['free', 'pro', 'éa', 'C0'] },
      { name: 'p', type: 'string', required: true, pattern: /^C\d{8}$/ },
      { name: 'q', type: 'string', required: true, pattern: /^[A-Za-z0-9-]{1,10}$/ },
      { name: 'r', type: 'string', required: true, pattern: /^(a|Z)+$/ },
      { name: 's', type: 'string', required: true },
    ];
    for (const field of fields)
      fc.assert(
        fc.property(text, (t) => expectAgreement(field, t)),
        { numRuns: 500 },
      );
    expect(fastVerdict(fields[0], 'pro')).toEqual({ deferred: false, value: 'pro' });
    expect(fastVerdict(fields[1], 'C00001234')).toEqual({ deferred: false, value: 'C00001234' });
  });
});

describe('compileBytePattern', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  it.each([/^C\d{8}$/, /^[A-Za-z0-9-]{1,64}$/, /^[A-Z]{2}$/, /^ab?$/, /^x\w*$/, /^[a-c_-]+$/, /^\.{2,3}$/])(
    'agrees with %s on ASCII text (property)',
    (pattern) => {
      const matches = compileBytePattern(pattern)!;
      expect(matches).toBeDefined();
      const text = fc.string({ unit: fc.constantFrom('C', 'a', 'b', 'x', 'Z', '0', '5', '-', '_', '.', ' ', '/'), maxLength: 12 });
      fc.assert(fc.property(text, (t) => matches.matches(bytes(t), 0, t.length) === pattern.test(t)));
    },
  );

  it.each([/C\d/, /^a|b$/, /^(ab)$/, /^[^a]$/, /^.$/, /^a*b$/, /^a$/i, /^é$/])('leaves %s to the RegExp', (pattern) => {
    expect(compileBytePattern(pattern)).toBeUndefined();
  });
});
