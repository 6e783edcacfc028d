import {
  DEFAULT_BIN_COUNT,
  DEFAULT_SAMPLE_SIZE,
  DRIFT_BASELINE_FORMAT_VERSION,
  MAX_BIN_COUNT,
  MAX_SAMPLE_SIZE,
  parseDriftBaseline,
  type BaselineFeature,
  type DriftBaseline,
  type FeatureBins,
  type FeatureSample,
  type FeatureStatistics,
} from './baseline';
import { lowerBound } from './sorted-search';

/** One reference column: its feature name, its column in the input tensor, and its values (non-finite ones count as missing). */
export interface ReferenceColumn {
  readonly name: string;
  readonly column: number;
  readonly values: ArrayLike<number | null>;
}

export interface BaselineOptions {
  /** PSI bins per feature. @default 10 (deciles) */
  readonly bins?: number;
  /** Largest sorted sample kept per feature for KS. @default 10,000 */
  readonly sampleSize?: number;
}

export interface BuildBaselineInput extends BaselineOptions {
  readonly columns: readonly ReferenceColumn[];
  readonly inputTensor: string;
  /** Columns of the input tensor. @default highest mapped column + 1 */
  readonly inputColumns?: number;
  readonly source: string;
  readonly model?: string;
  readonly modelVersion?: string;
  /** @default now */
  readonly createdAt?: Date;
}

/**
 * Builds a model version's drift baseline from its reference (training) data.
 * @throws RangeError when bins or sampleSize is out of range, or a column has no finite value
 * @throws InvalidBaselineError when the result breaks the format (duplicate names or columns)
 */
export function buildDriftBaseline(input: BuildBaselineInput): DriftBaseline {
  const rows = input.columns.reduce((most, column) => Math.max(most, column.values.length), 0);
  const baseline = {
    formatVersion: DRIFT_BASELINE_FORMAT_VERSION,
    ...(input.model === undefined ? {} : { model: input.model }),
    ...(input.modelVersion === undefined ? {} : { modelVersion: input.modelVersion }),
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    dataset: { source: input.source, rows },
    inputTensor: input.inputTensor,
    inputColumns: input.inputColumns ?? input.columns.reduce((most, column) => Math.max(most, column.column + 1), 0),
    features: input.columns.map((column) => buildFeatureBaseline(column, input)),
  };
  return parseDriftBaseline(baseline, input.source);
}

/** The baseline of one feature: statistics, quantile bins with counts, and the sorted KS sample. */
export function buildFeatureBaseline(column: ReferenceColumn, options: BaselineOptions = {}): BaselineFeature {
  const bins = options.bins ?? DEFAULT_BIN_COUNT;
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  if (!Number.isInteger(bins) || bins < 1 || bins > MAX_BIN_COUNT) throw new RangeError(`bins: got ${bins}; a whole number from 1 to ${MAX_BIN_COUNT}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > MAX_SAMPLE_SIZE) {
    throw new RangeError(`sampleSize: got ${sampleSize}; a whole number from 1 to ${MAX_SAMPLE_SIZE}`);
  }
  const { sorted, missing } = sortedFinite(column.values);
  if (sorted.length === 0) throw new RangeError(`feature '${column.name}': no finite value among ${column.values.length} reference values`);
  return {
    name: column.name,
    column: column.column,
    statistics: summarize(sorted, missing),
    bins: quantileBins(sorted, bins),
    sample: sortedSample(sorted, sampleSize),
  };
}

function sortedFinite(values: ArrayLike<number | null>): { sorted: Float64Array; missing: number } {
  const finite = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'number' && Number.isFinite(value)) finite[n++] = value;
  }
  return { sorted: finite.subarray(0, n).sort(), missing: values.length - n };
}

function summarize(sorted: Float64Array, missing: number): FeatureStatistics {
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / sorted.length;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  return { count: sorted.length, missing, mean, stddev: Math.sqrt(squares / sorted.length), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** numpy's default (linear, "type 7") quantile of an ascending array. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Interior edges at the quantiles i/k without repeats, and the reference count per bin (bin of x = edges ≤ x). */
export function quantileBins(sorted: Float64Array, bins: number): FeatureBins {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = quantile(sorted, i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  const counts: number[] = [];
  let start = 0;
  for (const edge of edges) {
    const end = lowerBound(sorted, edge, start);
    counts.push(end - start);
    start = end;
  }
  counts.push(sorted.length - start);
  return { edges, counts };
}

/** Every value when there are at most `size`, else `size` evenly spaced order statistics. */
export function sortedSample(sorted: Float64Array, size: number): FeatureSample {
  const n = sorted.length;
  if (n <= size) return { method: 'all', values: Array.from(sorted) };
  const values = new Array<number>(size);
  for (let i = 0; i < size; i++) values[i] = sorted[Math.floor(((i + 0.5) * n) / size)]!;
  return { method: 'order-statistics', values };
}
