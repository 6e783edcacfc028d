import { requestRateExpression, servingSignals } from '../../lib/monitoring/serving-signals';
import type { RolloutSignals, SignalReading } from '../../lib/rollout';
import type { PrometheusQuery } from './prometheus-query';

/** Reads the error-rate and latency signals of one version of a model, as they stand now. */
export type ReadServingSignals = (model: string, version: number, signals: RolloutSignals) => Promise<SignalReading>;

/**
 * Signals from the environment's Prometheus, restricted to the version being rolled out (the serving container labels
 * every request with its `version`): first whether that version answered any request in the window, then the
 * alert rules' error-rate and p99-latency expressions. With traffic but no 5XX series the error rate is 0; a latency
 * without value (every request failed) is left undefined and judged by the error rate alone.
 */
export function prometheusSignalReader(query: PrometheusQuery): ReadServingSignals {
  return async (model, version, limits) => {
    const selector = { model, version: String(version) };
    const [traffic] = await query(requestRateExpression(selector));
    if (traffic === undefined || !(traffic.value > 0)) return { kind: 'no-traffic' };
    const values = await Promise.all(
      servingSignals(selector, limits).map(async ({ name, expr, threshold, limit }) => {
        const value = (await query(expr))[0]?.value;
        const known = value === undefined || Number.isNaN(value) ? (name === 'error-rate' ? 0 : undefined) : value;
        return { signal: name, value: known, threshold, limit };
      }),
    );
    return { kind: 'measured', values };
  };
}
