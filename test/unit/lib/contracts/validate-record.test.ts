import fc from 'fast-check';
import { compileObjectValidator, compileValidator, customerEventsContract, type DatasetContract } from '../../../../lib/contracts';

const contract: DatasetContract = {
  dataset: 'unit-test',
  version: 3,
  description: 'every field type once',
  fields: [
    { name: 'name', type: 'string', required: true, pattern: /^[a-z]+$/ },
    { name: 'tier', type: 'string', required: false, enum: ['gold', 'silver'] },
    { name: 'count', type: 'integer', required: true, min: 0, max: 10 },
    { name: 'score', type: 'number', required: false, min: -1, max: 1 },
    { name: 'active', type: 'boolean', required: true },
    { name: 'seen_at', type: 'timestamp', required: true },
  ],
};
const validate = compileValidator(contract);
const good = ['ada', 'gold', '3', '0.5', 'true', '2026-03-01T10:00:00Z'];

function reasonsFor(values: unknown[]): string[] {
  const result = validate(values);
  return result.ok ? [] : result.reasons;
}

describe('compileValidator', () => {
  it('returns typed values in field order for a valid CSV record', () => {
    expect(validate(good)).toEqual({ ok: true, row: ['ada', 'gold', 3, 0.5, true, Date.UTC(2026, 2, 1, 10)] });
  });

  it('turns missing optional fields into nulls', () => {
    expect(validate(['ada', '', '0', undefined, 'false', '2026-03-01T10:00:00+02:00'])).toEqual({
      ok: true,
      row: ['ada', null, 0, null, false, Date.UTC(2026, 2, 1, 8)],
    });
  });

  it.each([
    [0, '', 'name: required but missing'],
    [0, 'Ada', 'name: does not match /^[a-z]+$/ (got "Ada")'],
    [1, 'bronze', 'tier: must be one of gold|silver (got "bronze")'],
    [2, '2.5', 'count: expected an integer (got "2.5")'],
    [2, '11', 'count: above maximum 10 (got 11)'],
    [2, '-1', 'count: below minimum 0 (got -1)'],
    [2, '9999999999', 'count: outside the 32-bit integer range (got 9999999999)'],
    [3, 'abc', 'score: expected a number (got "abc")'],
    [3, '1e3', 'score: above maximum 1 (got 1000)'],
    [4, 'yes', 'active: expected true or false (got "yes")'],
    [5, '2026-03-01 10:00:00', 'seen_at: expected an ISO 8601 timestamp with offset, e.g. 2024-05-01T12:00:00Z (got "2026-03-01 10:00:00")'],
    [5, '2026-03-01T10:00:00', 'seen_at: expected an ISO 8601 timestamp with offset, e.g. 2024-05-01T12:00:00Z (got "2026-03-01T10:00:00")'],
  ])('rejects field %i = %j with a precise reason', (index, value, reason) => {
    const values = [...good];
    values[index] = value;
    expect(reasonsFor(values)).toEqual([reason]);
  });

  it('reports every broken field of a record, not just the first', () => {
    expect(reasonsFor(['', 'x', 'x', 'x', 'x', 'x'])).toHaveLength(6);
  });

  it('accepts JSON-typed values and rejects values of the wrong JSON type', () => {
    expect(validate(['ada', null, 3, 0.25, true, '2026-03-01T10:00:00Z']).ok).toBe(true);
    expect(reasonsFor(['ada', null, 3.5, '0.25', 1, '2026-03-01T10:00:00Z'])).toEqual([
      'count: expected an integer (got 3.5)',
      'active: expected true or false (got 1)',
    ]);
    expect(reasonsFor([42, null, 3, null, true, '2026-03-01T10:00:00Z'])).toEqual(['name: expected a string (got 42)']);
  });

  it('shortens long values in reasons', () => {
    const [reason] = reasonsFor(['X'.repeat(500), ...good.slice(1)]);
    expect(reason.length).toBeLessThan(150);
  });

  it('never throws and always gives a verdict, whatever the input (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true })), {
          maxLength: 8,
        }),
        (values) => {
          const result = validate(values);
          return result.ok ? result.row.length === contract.fields.length : result.reasons.length > 0;
        },
      ),
    );
  });

  it('accepts every integer in range written as text, and types it as that number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), (n) => {
        const values = [...good];
        values[2] = String(n);
        const result = validate(values);
        return result.ok && result.row[2] === n;
      }),
    );
  });
});

describe('compileObjectValidator', () => {
  const validateObject = compileObjectValidator(contract);

  it('picks fields by name', () => {
    expect(validateObject({ seen_at: '2026-03-01T10:00:00Z', active: false, count: 1, name: 'bo' })).toEqual({
      ok: true,
      row: ['bo', null, 1, null, false, Date.UTC(2026, 2, 1, 10)],
    });
  });

  it('rejects fields the contract does not declare, with the other reasons', () => {
    expect(validateObject({ name: 'bo', count: 1, active: true, seen_at: 'never', extra: 1 })).toEqual({
      ok: false,
      reasons: ['seen_at: expected an ISO 8601 timestamp with offset, e.g. 2024-05-01T12:00:00Z (got "never")', 'extra: not declared in contract unit-test v3'],
    });
  });
});

describe('customer-events contract', () => {
  const validateEvent = compileObjectValidator(customerEventsContract);

  it('accepts a realistic purchase event', () => {
    const result = validateEvent({
      event_id: 'evt-42',
      customer_id: 'C00001234',
      event_time: '2026-05-01T08:30:00Z',
      event_type: 'purchase',
      plan: 'pro',
      amount_usd: 49.9,
      tenure_months: 14,
      is_trial: false,
      country: 'DE',
    });
    expect(result.ok).toBe(true);
  });

  it('rejects an unknown event type and a negative amount', () => {
    const result = validateEvent({
      event_id: 'evt-43',
      customer_id: 'C00001234',
      event_time: '2026-05-01T08:30:00Z',
      event_type: 'teleport',
      plan: 'pro',
      amount_usd: -1,
      tenure_months: 14,
      is_trial: false,
    });
    expect(result).toEqual({
      ok: false,
      reasons: [
        'event_type: must be one of signup|login|purchase|support_ticket|plan_change|cancellation (got "teleport")',
        'amount_usd: below minimum 0 (got -1)',
      ],
    });
  });
});
