import { z } from 'zod';

/**
 * The `DriftDetected` EventBridge event: emitted by the drift detector when a model version's captured inputs drift
 * from its training baseline, consumed by `start-training` to retrain. One schema, imported by both sides.
 *
 * Versioned: `detail.schemaVersion` changes only when a consumer written for the old version could misread the event;
 * new optional fields keep the version.
 */

/** The `source` of every event the platform emits to EventBridge. */
export const PLATFORM_EVENT_SOURCE = 'mlops-blueprint';
/** The `detail-type` of the drift event. */
export const DRIFT_DETECTED_DETAIL_TYPE = 'DriftDetected';
export const DRIFT_DETECTED_SCHEMA_VERSION = '1';

const finiteNonNegative = z.number().finite().nonnegative();

/** One feature over its threshold, with the figures that crossed it. */
export const driftedFeatureSchema = z.strictObject({
  /** Feature name, as in the baseline's column map. */
  feature: z.string().min(1),
  /** Population stability index over the baseline's bins. */
  psi: finiteNonNegative,
  /** Two-sample Kolmogorov–Smirnov statistic D, in [0, 1]. */
  ksStatistic: z.number().min(0).max(1),
  /** Captured values of this feature in the window. */
  samples: z.number().int().nonnegative(),
});
export type DriftedFeature = z.infer<typeof driftedFeatureSchema>;

export const driftDetectedDetailSchema = z.strictObject({
  schemaVersion: z.literal(DRIFT_DETECTED_SCHEMA_VERSION),
  /** Environment name (`dev`, `prod`). */
  environment: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Model name, as in the environment config. */
  model: z.string().min(1),
  /** The served model version whose capture drifted. */
  modelVersion: z.string().min(1),
  /** The capture window the detector read, ISO-8601 instants, start inclusive and end exclusive. */
  window: z.strictObject({ start: z.iso.datetime(), end: z.iso.datetime() }),
  /** The thresholds in force when the detector ran. */
  thresholds: z.strictObject({ psiThreshold: finiteNonNegative, ksStatistic: z.number().min(0).max(1), minSamples: z.number().int().positive() }),
  /** The features that crossed a threshold (at least one). */
  driftedFeatures: z.array(driftedFeatureSchema).min(1),
  /** Identifies this detection: equal for a re-run over the same window, so consumers can de-duplicate. */
  detectionId: z.string().min(1).max(80),
});
export type DriftDetectedDetail = z.infer<typeof driftDetectedDetailSchema>;

/** The EventBridge envelope fields a consumer sees (the parts the platform relies on). */
export const driftDetectedEventSchema = z.object({
  source: z.literal(PLATFORM_EVENT_SOURCE),
  'detail-type': z.literal(DRIFT_DETECTED_DETAIL_TYPE),
  detail: driftDetectedDetailSchema,
});
export type DriftDetectedEvent = z.infer<typeof driftDetectedEventSchema>;
