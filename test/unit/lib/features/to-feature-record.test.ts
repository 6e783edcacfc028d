import fc from 'fast-check';
import { featureGroupSchema, formatEventTime, formatFeatureValue, missingSourceColumns, toFeatureRecord } from '../../../../lib/features';

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
    { name: 'plan_name', type: 'String', sourceColumn: 'plan' },
  ],
});

describe('toFeatureRecord', () => {
  it('maps a silver row to the PutRecord FeatureValue list, renaming source columns', () => {
    const row = { customer_id: 'C-1', event_time: new Date('2024-03-01T10:00:00Z'), tenure_months: 12n, monthly_charges: 70.5, plan: 'pro', ignored: 1 };
    expect(toFeatureRecord(group, row)).toEqual({
      ok: true,
      recordIdentifier: 'C-1',
      record: [
        { FeatureName: 'customer_id', ValueAsString: 'C-1' },
        { FeatureName: 'event_time', ValueAsString: '2024-03-01T10:00:00.000Z' },
        { FeatureName: 'tenure_months', ValueAsString: '12' },
        { FeatureName: 'monthly_charges', ValueAsString: '70.5' },
        { FeatureName: 'plan_name', ValueAsString: 'pro' },
      ],
    });
  });

  it('leaves empty optional features out of the record', () => {
    const result = toFeatureRecord(group, {
      customer_id: 'C-2',
      event_time: '2024-03-01T10:00:00Z',
      tenure_months: null,
      monthly_charges: Number.NaN,
      plan: undefined,
    });
    expect(result).toEqual({
      ok: true,
      recordIdentifier: 'C-2',
      record: [
        { FeatureName: 'customer_id', ValueAsString: 'C-2' },
        { FeatureName: 'event_time', ValueAsString: '2024-03-01T10:00:00.000Z' },
      ],
    });
  });

  it('rejects a row without identifier or event time, and gives every reason', () => {
    const result = toFeatureRecord(group, { customer_id: null, event_time: 'yesterday', tenure_months: 1.5, monthly_charges: 'cheap', plan: 'pro' });
    expect(result).toEqual({
      ok: false,
      reasons: [
        'customer_id: column customer_id is empty, but every record needs it',
        'event_time (String, column event_time): "yesterday" is not a timestamp between 1970 and 9999 (a Date, an ISO-8601 string or seconds since 1970)',
        'tenure_months (Integral, column tenure_months): 1.5 is not an integer',
        'monthly_charges (Fractional, column monthly_charges): "cheap" is not a finite number',
      ],
    });
  });

  it('rejects a blank record identifier', () => {
    expect(toFeatureRecord(group, { customer_id: '  ', event_time: '2024-01-01' })).toEqual({
      ok: false,
      reasons: ['customer_id: the record identifier is blank'],
    });
  });

  it('never throws and always either carries the identifier or a reason', () => {
    const cell = fc.oneof(fc.string(), fc.double(), fc.bigInt(), fc.boolean(), fc.date(), fc.constant(null), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('customer_id', 'event_time', 'tenure_months', 'monthly_charges', 'plan'), cell), (row) => {
        const result = toFeatureRecord(group, row);
        if (result.ok) expect(result.record[0]).toEqual({ FeatureName: 'customer_id', ValueAsString: result.recordIdentifier });
        else expect(result.reasons.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('formatFeatureValue', () => {
  it('writes any 64-bit integer exactly and refuses the rest', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) =>
        expect(formatFeatureValue(n, 'Integral')).toEqual({ ok: true, value: n.toString() }),
      ),
    );
    expect(formatFeatureValue(2n ** 63n, 'Integral')).toEqual({ ok: false, reason: '9223372036854775808n does not fit a 64-bit integer' });
    expect(formatFeatureValue(' 42 ', 'Integral')).toEqual({ ok: true, value: '42' });
    expect(formatFeatureValue(true, 'Integral').ok).toBe(false);
  });

  it('round-trips finite doubles and refuses infinities', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const formatted = formatFeatureValue(x, 'Fractional');
        expect(formatted.ok && Number(formatted.value)).toBe(x === 0 ? 0 : x);
      }),
    );
    expect(formatFeatureValue(Number.POSITIVE_INFINITY, 'Fractional').ok).toBe(false);
    expect(formatFeatureValue('', 'Fractional').ok).toBe(false);
  });

  it('writes strings from any scalar', () => {
    expect(formatFeatureValue(3n, 'String')).toEqual({ ok: true, value: '3' });
    expect(formatFeatureValue(false, 'String')).toEqual({ ok: true, value: 'false' });
    expect(formatFeatureValue({}, 'String').ok).toBe(false);
  });
});

describe('formatEventTime', () => {
  it('normalizes to ISO-8601 UTC with milliseconds for String event times', () => {
    expect(formatEventTime('2024-03-01T12:00:00+02:00', 'String')).toEqual({ ok: true, value: '2024-03-01T10:00:00.000Z' });
    expect(formatEventTime('2024-03-01T12:00:00', 'String')).toEqual({ ok: true, value: '2024-03-01T12:00:00.000Z' });
    expect(formatEventTime('2024-03-01', 'String')).toEqual({ ok: true, value: '2024-03-01T00:00:00.000Z' });
    expect(formatEventTime(1709287200, 'String')).toEqual({ ok: true, value: '2024-03-01T10:00:00.000Z' });
  });

  it('writes seconds since the epoch for Fractional event times', () => {
    expect(formatEventTime(new Date('2024-03-01T10:00:00.250Z'), 'Fractional')).toEqual({ ok: true, value: '1709287200.25' });
  });

  it('refuses invalid and pre-1970 timestamps', () => {
    expect(formatEventTime(new Date(Number.NaN), 'String').ok).toBe(false);
    expect(formatEventTime('1969-12-31T23:59:59Z', 'String').ok).toBe(false);
    expect(formatEventTime('2024-13-45T00:00:00Z', 'String').ok).toBe(false);
  });
});

describe('missingSourceColumns', () => {
  it('lists the source columns a file lacks', () => {
    expect(missingSourceColumns(group, ['customer_id', 'event_time', 'tenure_months', 'monthly_charges', 'plan'])).toEqual([]);
    expect(missingSourceColumns(group, ['customer_id', 'event_time'])).toEqual(['tenure_months', 'monthly_charges', 'plan']);
  });
});
