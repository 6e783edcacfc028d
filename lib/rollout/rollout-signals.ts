import { z } from 'zod';
import type { ServingSignalName } from '../monitoring/serving-signals';

/**
 * The rollout function's environment variable holding the Prometheus instant-query URL of the environment's metrics
 * workspace (`<workspace endpoint>api/v1/query`), where an EKS rollout reads the new version's error rate and latency.
 */
export const METRICS_QUERY_URL_VARIABLE = 'METRICS_QUERY_URL';

/** How an EKS rollout is judged on the serving signals (part of a Kubernetes target in ROLLOUT_TARGETS). */
export const rolloutSignalsSchema = z.strictObject({
  /** The model's p99 latency objective in milliseconds (the threshold of `ServingLatencyAboveSlo`). */
  p99LatencyMs: z.number().positive(),
  /** Share of requests answered with a 5XX (percent) above which the version is rolled back (that of `ServingErrorRateHigh`). */
  errorRateThresholdPercent: z.number().gt(0).max(100),
  /** How long the signals keep being checked after every replica serves the new version. */
  bakeSeconds: z.number().int().min(0),
  /** Consecutive checks with a signal above its threshold that roll the version back. */
  evaluationsToRollBack: z.number().int().min(1),
});
export type RolloutSignals = z.infer<typeof rolloutSignalsSchema>;

/** One check of a version's signals: no traffic reached it in the window yet, each signal's value, or the query failed. */
export type SignalReading =
  | { readonly kind: 'no-traffic' }
  | { readonly kind: 'measured'; readonly values: readonly SignalValue[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface SignalValue {
  readonly signal: ServingSignalName;
  /** Undefined when the signal has no value although there is traffic (e.g. latency while every request failed). */
  readonly value: number | undefined;
  readonly threshold: number;
  /** What the threshold means, for messages. */
  readonly limit: string;
}

export type SignalVerdict =
  | { readonly kind: 'breached'; readonly signal: ServingSignalName; readonly reason: string }
  | { readonly kind: 'healthy' }
  | { readonly kind: 'no-traffic' }
  | { readonly kind: 'unavailable' };

/**
 * Turns successive checks into a verdict, as an alert rule's `for` does: a signal is breached once it has been above
 * its threshold at `evaluationsToRollBack` consecutive checks; a check without traffic, or whose query failed,
 * neither counts towards that nor resets it, and a check at or below the threshold resets it.
 */
export class SignalJudge {
  private readonly above = new Map<ServingSignalName, number>();
  /** Checks that saw traffic so far. */
  measured = 0;
  /** The last failed query's reason, when a check failed. */
  lastFailure: string | undefined;

  constructor(private readonly evaluationsToRollBack: number) {}

  record(reading: SignalReading): SignalVerdict {
    if (reading.kind === 'no-traffic') return { kind: 'no-traffic' };
    if (reading.kind === 'unavailable') {
      this.lastFailure = reading.reason;
      return { kind: 'unavailable' };
    }
    this.measured++;
    for (const { signal, value, threshold, limit } of reading.values) {
      if (value === undefined) continue;
      const count = value > threshold ? (this.above.get(signal) ?? 0) + 1 : 0;
      this.above.set(signal, count);
      if (count >= this.evaluationsToRollBack) {
        return { kind: 'breached', signal, reason: `${signal} ${formatValue(signal, value)} above ${limit} at ${count} consecutive checks` };
      }
    }
    return { kind: 'healthy' };
  }
}

function formatValue(signal: ServingSignalName, value: number): string {
  return signal === 'error-rate' ? `${+(value * 100).toPrecision(4)}%` : `${+(value * 1000).toPrecision(4)} ms`;
}
