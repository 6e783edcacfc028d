import fc from 'fast-check';
import { rolloutSignalsSchema, SignalJudge, type SignalReading } from '../../../../lib/rollout';

const reading = (errorRate: number | undefined, latency: number | undefined): SignalReading => ({
  kind: 'measured',
  values: [
    { signal: 'error-rate', value: errorRate, threshold: 0.01, limit: '1% of requests answered with a 5XX' },
    { signal: 'p99-latency', value: latency, threshold: 0.1, limit: 'its 100 ms p99 objective' },
  ],
});
const NO_TRAFFIC: SignalReading = { kind: 'no-traffic' };

describe("SignalJudge: consecutive checks above a threshold, as an alert rule's `for`", () => {
  test('breached at the Nth consecutive check above the threshold, naming the signal, its value and the limit', () => {
    const judge = new SignalJudge(3);
    expect(judge.record(reading(0.05, 0.02))).toEqual({ kind: 'healthy' });
    expect(judge.record(reading(0.05, 0.02))).toEqual({ kind: 'healthy' });
    expect(judge.record(reading(0.05, 0.02))).toEqual({
      kind: 'breached',
      signal: 'error-rate',
      reason: 'error-rate 5% above 1% of requests answered with a 5XX at 3 consecutive checks',
    });
  });

  test('a check at or below the threshold starts the count again; a check without traffic neither counts nor resets', () => {
    const judge = new SignalJudge(2);
    expect(judge.record(reading(0, 0.5)).kind).toBe('healthy');
    expect(judge.record(reading(0, 0.1)).kind).toBe('healthy'); // at the threshold: not above
    expect(judge.record(reading(0, 0.5)).kind).toBe('healthy');
    expect(judge.record(NO_TRAFFIC)).toEqual({ kind: 'no-traffic' });
    expect(judge.record(reading(0, 0.25))).toEqual({
      kind: 'breached',
      signal: 'p99-latency',
      reason: 'p99-latency 250 ms above its 100 ms p99 objective at 2 consecutive checks',
    });
    expect(judge.measured).toBe(4);
  });

  test('a signal without value (latency while every request failed) is judged by the others alone', () => {
    const judge = new SignalJudge(1);
    expect(judge.record(reading(0, undefined))).toEqual({ kind: 'healthy' });
    expect(judge.record(reading(1, undefined)).kind).toBe('breached');
  });

  test('never breached while every value stays at or below its threshold, whatever the order of checks', () => {
    const check = fc.oneof(
      fc.constant(NO_TRAFFIC),
      fc.tuple(fc.double({ min: 0, max: 0.01, noNaN: true }), fc.double({ min: 0, max: 0.1, noNaN: true })).map(([e, l]) => reading(e, l)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(check, { maxLength: 30 }), (evaluations, checks) => {
        const judge = new SignalJudge(evaluations);
        return checks.every((c) => judge.record(c).kind !== 'breached');
      }),
    );
  });
});

describe('rolloutSignalsSchema (ROLLOUT_TARGETS)', () => {
  test('refuses a threshold of 0 and fractional checks', () => {
    expect(rolloutSignalsSchema.safeParse({ p99LatencyMs: 100, errorRateThresholdPercent: 0, bakeSeconds: 300, evaluationsToRollBack: 3 }).success).toBe(false);
    expect(rolloutSignalsSchema.safeParse({ p99LatencyMs: 100, errorRateThresholdPercent: 1, bakeSeconds: 300, evaluationsToRollBack: 1.5 }).success).toBe(
      false,
    );
    expect(rolloutSignalsSchema.safeParse({ p99LatencyMs: 100, errorRateThresholdPercent: 1, bakeSeconds: 300, evaluationsToRollBack: 3 }).success).toBe(true);
  });
});
