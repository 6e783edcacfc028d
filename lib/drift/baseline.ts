import { z } from 'zod';

/**
 * The drift baseline of one model version: what its training (reference) data looked like, feature by feature, in a
 * form the drift detector can compare captured inference inputs against without the training data.
 *
 * Written as JSON (`drift-baseline.json`) by the Python reference trainer (`training/`) and by
 * `npm run drift:baseline`; read by the drift detector. docs/drift.md documents every field and how it maps to
 * SageMaker Model Monitor's `statistics.json` / `constraints.json`.
 *
 * Versioned: `formatVersion` changes only when a reader written for the old version could misread a file; new optional
 * fields keep the version.
 */

export const DRIFT_BASELINE_FORMAT_VERSION = '1';
/** File name of the baseline beside a model version (model repository) or a training run's artifacts. */
export const DRIFT_BASELINE_FILE = 'drift-baseline.json';
/** PSI bins per feature unless the builder is told otherwise (deciles, the usual PSI binning). */
export const DEFAULT_BIN_COUNT = 10;
/** Largest sorted sample kept per feature for the KS statistic; below it, the sample is every reference value. */
export const DEFAULT_SAMPLE_SIZE = 10_000;
export const MAX_BIN_COUNT = 1_000;
export const MAX_SAMPLE_SIZE = 100_000;

const finite = z.number().finite();
const count = z.number().int().nonnegative();

/** Summary statistics over the finite reference values of one feature (`missing` counts NaN, ±Infinity, null). */
export const featureStatisticsSchema = z.strictObject({
  /** Finite values seen. */
  count: count,
  /** Values that were not finite numbers (NaN, ±Infinity, null or absent). */
  missing: count,
  mean: finite,
  /** Population standard deviation (ddof = 0, numpy's default). */
  stddev: finite.nonnegative(),
  min: finite,
  max: finite,
});
export type FeatureStatistics = z.infer<typeof featureStatisticsSchema>;

/**
 * Fixed PSI bins from the reference quantiles. `edges` are the interior edges, strictly increasing; with k-1 edges
 * there are k bins and the bin of a value x is the number of edges ≤ x (numpy `searchsorted(edges, x, side="right")`):
 * bin 0 is (-∞, e1), bin i is [ei, ei+1), the last bin is [ek-1, +∞). `counts[i]` is how many reference values fell
 * into bin i. Edges are the quantiles i/k (i = 1..k-1, linear interpolation, numpy's default method) with repeats
 * removed, so a discrete feature has fewer bins.
 */
export const featureBinsSchema = z
  .strictObject({
    edges: z.array(finite).max(MAX_BIN_COUNT - 1),
    counts: z.array(count).min(1).max(MAX_BIN_COUNT),
  })
  .superRefine((bins, ctx) => {
    if (bins.counts.length !== bins.edges.length + 1) {
      ctx.addIssue({ code: 'custom', path: ['counts'], message: `must have edges.length + 1 = ${bins.edges.length + 1} entries, got ${bins.counts.length}` });
    }
    for (let i = 1; i < bins.edges.length; i++) {
      if (!(bins.edges[i] > bins.edges[i - 1])) {
        ctx.addIssue({ code: 'custom', path: ['edges', i], message: `edges must be strictly increasing: ${bins.edges[i]} follows ${bins.edges[i - 1]}` });
        return;
      }
    }
  });
export type FeatureBins = z.infer<typeof featureBinsSchema>;

/**
 * A sorted (ascending) sample of the reference values, for the two-sample KS statistic. `method: "all"` holds every
 * finite reference value; `"order-statistics"` holds `size` evenly spaced order statistics of the sorted reference
 * values, element i being sorted[floor((i + 0.5) * n / size)] — its empirical CDF is within 1/(2·size) of the full
 * reference's everywhere.
 */
export const featureSampleSchema = z
  .strictObject({
    method: z.enum(['all', 'order-statistics']),
    values: z.array(finite).min(1).max(MAX_SAMPLE_SIZE),
  })
  .superRefine((sample, ctx) => {
    for (let i = 1; i < sample.values.length; i++) {
      if (sample.values[i] < sample.values[i - 1]) {
        ctx.addIssue({ code: 'custom', path: ['values', i], message: `values must be sorted ascending: ${sample.values[i]} follows ${sample.values[i - 1]}` });
        return;
      }
    }
  });
export type FeatureSample = z.infer<typeof featureSampleSchema>;

/** One feature: where it sits in the input tensor, and its reference distribution. */
export const baselineFeatureSchema = z.strictObject({
  /** Feature name (a dataset column name); drift metrics and `DriftDetected` name features by it. */
  name: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _.:- (1-128 characters)'),
  /** Column of the input tensor that carries this feature: element [row, column] of the 2-D `[batch, columns]` input. */
  column: z.number().int().nonnegative(),
  statistics: featureStatisticsSchema,
  bins: featureBinsSchema,
  sample: featureSampleSchema,
});
export type BaselineFeature = z.infer<typeof baselineFeatureSchema>;

export const driftBaselineSchema = z
  .strictObject({
    formatVersion: z.literal(DRIFT_BASELINE_FORMAT_VERSION),
    /** Model name and version, when the producer knows them (the trainer does; a CLI run over a dataset may not). */
    model: z.string().min(1).optional(),
    modelVersion: z.string().min(1).optional(),
    /** When the baseline was computed (ISO-8601). */
    createdAt: z.iso.datetime(),
    /** What it was computed from: a URI or path, and the rows read. */
    dataset: z.strictObject({ source: z.string().min(1), rows: count }),
    /** The input tensor (KServe V2 input `name`) whose columns are the features. */
    inputTensor: z.string().min(1),
    /** Number of columns of the input tensor (its second dimension). */
    inputColumns: z.number().int().positive(),
    features: z.array(baselineFeatureSchema).min(1),
  })
  .superRefine((baseline, ctx) => {
    const names = new Set<string>();
    const columns = new Set<number>();
    baseline.features.forEach((feature, index) => {
      if (names.has(feature.name)) ctx.addIssue({ code: 'custom', path: ['features', index, 'name'], message: `duplicate feature name '${feature.name}'` });
      if (columns.has(feature.column))
        ctx.addIssue({ code: 'custom', path: ['features', index, 'column'], message: `column ${feature.column} is mapped twice` });
      if (feature.column >= baseline.inputColumns) {
        ctx.addIssue({
          code: 'custom',
          path: ['features', index, 'column'],
          message: `column ${feature.column} is outside the input tensor's ${baseline.inputColumns} columns`,
        });
      }
      names.add(feature.name);
      columns.add(feature.column);
    });
  });
export type DriftBaseline = z.infer<typeof driftBaselineSchema>;

/** Raised when a baseline file does not match the format; the message lists every problem with its path. */
export class InvalidBaselineError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid drift baseline ${source}: ${problems.join('; ')}`);
    this.name = 'InvalidBaselineError';
  }
}

/**
 * Parses and validates a baseline (already JSON-decoded).
 * @throws InvalidBaselineError naming every field that is wrong.
 */
export function parseDriftBaseline(value: unknown, source = 'baseline'): DriftBaseline {
  const result = driftBaselineSchema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidBaselineError(
    source,
    result.error.issues.map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`),
  );
}
