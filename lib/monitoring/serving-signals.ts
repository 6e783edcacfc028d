import { SERVING_LABELS, SERVING_PROMETHEUS_METRICS as M } from '../../serving/src/metric-names';

/**
 * The error-rate and p99-latency signals of a model whose Prometheus metrics reach the environment's workspace: the
 * one place their PromQL and thresholds are written. The workspace's alert rules (`ServingErrorRateHigh`,
 * `ServingLatencyAboveSlo`, constructs/operations/serving-alert-rules.ts) fire on `expr > threshold` for the whole
 * model; the EKS rollout (lambdas/rollout-model) queries the same expressions restricted to the version it rolls out.
 */

/** Range of every signal's `rate()`; also the alert rules' `for`. */
export const SERVING_SIGNAL_WINDOW = '5m';

/** Share of requests (percent) answered with a 5XX above which a model's error rate is too high, unless configured. */
export const DEFAULT_ERROR_RATE_THRESHOLD_PERCENT = 1;

/** Which requests a signal covers: one model, and optionally one of its versions (the `version` label the server sets). */
export interface ServingSignalSelector {
  readonly model: string;
  readonly version?: string;
}

/** The limits a model is held to. */
export interface ServingSignalLimits {
  /** The model's p99 latency objective in milliseconds. */
  readonly p99LatencyMs: number;
  /** @default DEFAULT_ERROR_RATE_THRESHOLD_PERCENT */
  readonly errorRateThresholdPercent?: number;
}

export type ServingSignalName = 'error-rate' | 'p99-latency';

export interface ServingSignal {
  readonly name: ServingSignalName;
  /** The alert rule that fires on this signal for the whole model. */
  readonly alert: 'ServingErrorRateHigh' | 'ServingLatencyAboveSlo';
  /** PromQL whose value is compared with `threshold` (error rate: a share 0..1; latency: seconds). */
  readonly expr: string;
  /** The signal is bad when `expr` is above this. */
  readonly threshold: number;
  /** What the threshold means, for messages. */
  readonly limit: string;
}

function selectorOf({ model, version }: ServingSignalSelector, extra?: string): string {
  const labels = [`${SERVING_LABELS.model}="${model}"`];
  if (version !== undefined) labels.push(`${SERVING_LABELS.version}="${version}"`);
  if (extra !== undefined) labels.push(extra);
  return labels.join(',');
}

/** Requests per second answered (any status) over the window: whether the selector has traffic at all. */
export function requestRateExpression(selector: ServingSignalSelector): string {
  return `sum(rate(${M.requests}{${selectorOf(selector)}}[${SERVING_SIGNAL_WINDOW}]))`;
}

/** Share (0..1) of requests answered with a 5XX over the window; no series while no request was answered with a 5XX. */
export function errorRateExpression(selector: ServingSignalSelector): string {
  const errors = `sum(rate(${M.requests}{${selectorOf(selector, `${SERVING_LABELS.status}=~"5.."`)}}[${SERVING_SIGNAL_WINDOW}]))`;
  return `${errors} / clamp_min(${requestRateExpression(selector)}, 1e-9)`;
}

/** p99 of the request duration (seconds) over the window; NaN or no series without successful requests in it. */
export function p99LatencyExpression(selector: ServingSignalSelector): string {
  return `histogram_quantile(0.99, sum by (le) (rate(${M.requestDuration}_bucket{${selectorOf(selector)}}[${SERVING_SIGNAL_WINDOW}])))`;
}

/** The error-rate and p99-latency signals of `selector`, with the thresholds of `limits`. */
export function servingSignals(selector: ServingSignalSelector, limits: ServingSignalLimits): readonly ServingSignal[] {
  const percent = limits.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT;
  return [
    {
      name: 'error-rate',
      alert: 'ServingErrorRateHigh',
      expr: errorRateExpression(selector),
      threshold: percent / 100,
      limit: `${percent}% of requests answered with a 5XX`,
    },
    {
      name: 'p99-latency',
      alert: 'ServingLatencyAboveSlo',
      expr: p99LatencyExpression(selector),
      threshold: limits.p99LatencyMs / 1000,
      limit: `its ${limits.p99LatencyMs} ms p99 objective`,
    },
  ];
}
