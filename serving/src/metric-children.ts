import type { Counter, Histogram, LabelValues } from 'prom-client';

/**
 * Children of prom-client metrics bound to one label set, for the per-request hot path. prom-client 15's own bound
 * children (`metric.labels(...)`) still validate and hash the labels on every call, which was a measurable share of the
 * core's CPU per small request (docs/serving-performance.md). These create the series once through the public API,
 * then update prom-client's stored value for it directly (the same fields its own `observe`/`inc` update), so the
 * rendering on GET /metrics is prom-client's. prom-client is pinned exactly; test/unit/serving/metric-children.test.ts
 * checks the output matches prom-client's own children.
 */
export interface BoundHistogram {
  observe(value: number): void;
  /** Starts a timer; the returned function observes the seconds elapsed. */
  startTimer(): () => void;
}

export interface BoundCounter {
  inc(): void;
}

interface StoredHistogramValue {
  labels: LabelValues<string>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

interface StoredCounterValue {
  labels: LabelValues<string>;
  value: number;
}

/** prom-client's internal store of a metric's series (stable in the pinned version). */
interface MetricInternals<V> {
  readonly hashMap: Record<string, V>;
  readonly upperBounds?: readonly number[];
}

function findSeries<V extends { labels: LabelValues<string> }>(metric: object, labels: LabelValues<string>): V | undefined {
  const keys = Object.keys(labels);
  return Object.values((metric as MetricInternals<V>).hashMap).find(
    (stored) => Object.keys(stored.labels).length === keys.length && keys.every((key) => String(stored.labels[key]) === String(labels[key])),
  );
}

function storedSeries<V extends { labels: LabelValues<string> }>(metric: object, labels: LabelValues<string>): V {
  const found = findSeries<V>(metric, labels);
  if (found === undefined) throw new Error(`prom-client stored no series for ${JSON.stringify(labels)}: its internals changed`);
  return found;
}

export function bindHistogram<T extends string>(histogram: Histogram<T>, labels: LabelValues<T>): BoundHistogram {
  // A version loaded again keeps its series: zero() only creates it (resetting would make counts go backwards).
  if (findSeries(histogram, labels) === undefined) histogram.zero(labels);
  const stored = storedSeries<StoredHistogramValue>(histogram, labels);
  const bounds = (histogram as unknown as MetricInternals<StoredHistogramValue>).upperBounds!;
  const observe = (value: number): void => {
    stored.sum += value;
    stored.count += 1;
    for (const bound of bounds) {
      if (value <= bound) {
        stored.bucketValues[bound] += 1;
        return;
      }
    }
  };
  return {
    observe,
    startTimer: () => {
      const start = process.hrtime.bigint();
      return () => observe(Number(process.hrtime.bigint() - start) / 1e9);
    },
  };
}

export function bindCounter<T extends string>(counter: Counter<T>, labels: LabelValues<T>): BoundCounter {
  counter.inc(labels, 0);
  const stored = storedSeries<StoredCounterValue>(counter, labels);
  return {
    inc: () => {
      stored.value += 1;
    },
  };
}
