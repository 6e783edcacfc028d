import fc from 'fast-check';
import { describeValue } from '../../../../lib/shared/describe-value';

describe('describeValue', () => {
  it('quotes strings and writes numbers, booleans and nothing as JavaScript does', () => {
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue(3.5)).toBe('3.5');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
  });

  it('writes objects as JSON, BigInts with their suffix and dates as ISO-8601', () => {
    expect(describeValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(describeValue(12n)).toBe('12n');
    expect(describeValue(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02T00:00:00.000Z');
    expect(describeValue(new Date(Number.NaN))).toBe('Invalid Date');
  });

  it('describes values that String() and JSON.stringify() throw on', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = {
      toString: '',
      toJSON: () => {
        throw new Error('no');
      },
    };
    expect(describeValue(Object.create(null))).toBe('{}');
    expect(describeValue({ toString: '' })).toBe('{"toString":""}');
    expect(describeValue(cyclic)).toBe('[object Object]');
    expect(describeValue(hostile)).toBe('[object Object]');
    expect(describeValue({ big: 1n })).toBe('[object Object]');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(function named() {})).toBe('[function named]');
  });

  it('cuts long text to the limit, marking the cut', () => {
    const shown = describeValue('x'.repeat(500), 20);
    expect(shown).toHaveLength(20);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('never throws and never exceeds the limit, whatever the value (property)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBoxedValues: true,
        }),
        fc.integer({ min: 2, max: 80 }),
        (value, maxChars) => {
          return describeValue(value, maxChars).length <= maxChars;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
