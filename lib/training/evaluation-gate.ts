/**
 * The evaluation gate: the one rule deciding whether a trained model is good enough, used by the training pipeline
 * (before it registers a model package) and by promotion (before it serves one), so the two can never disagree.
 */

/** How the metric must compare with the threshold to pass. */
export const GATE_COMPARISONS = ['>=', '>', '<=', '<'] as const;
export type GateComparison = (typeof GATE_COMPARISONS)[number];

export interface Gate {
  readonly metric: string;
  readonly comparison: GateComparison;
  readonly threshold: number;
}

export type GateResult =
  | { readonly passed: true; readonly metric: string; readonly value: number; readonly reason: string }
  | { readonly passed: false; readonly metric: string; readonly value?: number; readonly reason: string };

const COMPARE: Record<GateComparison, (value: number, threshold: number) => boolean> = {
  '>=': (value, threshold) => value >= threshold,
  '>': (value, threshold) => value > threshold,
  '<=': (value, threshold) => value <= threshold,
  '<': (value, threshold) => value < threshold,
};

/**
 * Compares the gate's metric in `metrics` with its threshold. A missing or non-finite metric fails the gate (a model
 * cannot pass on a figure it did not report). The reason names the metric, the value, the comparison and the
 * threshold, plus every reported metric when it fails, so the error says what the run achieved.
 */
export function evaluateGate(gate: Gate, metrics: Readonly<Record<string, number>>): GateResult {
  const value = Object.prototype.hasOwnProperty.call(metrics, gate.metric) ? metrics[gate.metric] : undefined;
  const rule = `${gate.metric} ${gate.comparison} ${gate.threshold}`;
  const reported = `reported metrics: ${formatMetrics(metrics)}`;
  if (value === undefined)
    return { passed: false, metric: gate.metric, reason: `evaluation gate ${rule} failed: ${gate.metric} was not reported (${reported})` };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return {
      passed: false,
      metric: gate.metric,
      reason: `evaluation gate ${rule} failed: ${gate.metric} is ${String(value)}, not a finite number (${reported})`,
    };
  }
  if (!COMPARE[gate.comparison](value, gate.threshold)) {
    return { passed: false, metric: gate.metric, value, reason: `evaluation gate ${rule} failed: ${gate.metric} = ${value} (${reported})` };
  }
  return { passed: true, metric: gate.metric, value, reason: `evaluation gate ${rule} passed: ${gate.metric} = ${value}` };
}

function formatMetrics(metrics: Readonly<Record<string, number>>): string {
  const entries = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([name, value]) => `${name}=${value}`).join(', ');
}
