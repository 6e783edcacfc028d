import { z } from 'zod';

/**
 * Per-model drift settings in the environment config (`models[].drift`): how much of the traffic the serving
 * container captures, and when the drift detector calls a window drifted.
 */
export const DEFAULT_DRIFT_THRESHOLDS = { psiThreshold: 0.2, ksStatistic: 0.1, minSamples: 1000 } as const;

export const modelDriftConfigSchema = z.strictObject({
  /** Fraction of inference requests whose inputs and outputs are captured, 0 (off) to 1 (every request). */
  captureSampleFraction: z.number().min(0).max(1),
  /** A feature drifts when its PSI is at least this (0.1: some shift, 0.2: significant, the usual reading). */
  psiThreshold: z.number().positive().default(DEFAULT_DRIFT_THRESHOLDS.psiThreshold),
  /** A feature drifts when its two-sample KS statistic D is at least this (0 < D ≤ 1). */
  ksStatistic: z.number().gt(0).max(1).default(DEFAULT_DRIFT_THRESHOLDS.ksStatistic),
  /** Fewer captured rows than this in a window: the detector reports it and decides nothing. */
  minSamples: z.number().int().positive().default(DEFAULT_DRIFT_THRESHOLDS.minSamples),
});
export type ModelDriftConfig = z.infer<typeof modelDriftConfigSchema>;
export type DriftThresholds = Pick<ModelDriftConfig, 'psiThreshold' | 'ksStatistic' | 'minSamples'>;

/** Environment-wide drift detection settings (`driftDetection`). */
export const driftDetectionConfigSchema = z.strictObject({
  /** Minutes between detector runs; each run reads the capture written since the previous one. */
  scheduleMinutes: z.number().int().min(5).max(1440).default(60),
});
export type DriftDetectionConfig = z.infer<typeof driftDetectionConfigSchema>;

/** The models the drift detector checks: those with a `drift` block, with their thresholds. */
export function driftModelsOf(
  models: readonly { name: string; drift?: ModelDriftConfig }[],
): { name: string; psiThreshold: number; ksStatistic: number; minSamples: number }[] {
  return models.flatMap((model) =>
    model.drift === undefined
      ? []
      : [{ name: model.name, psiThreshold: model.drift.psiThreshold, ksStatistic: model.drift.ksStatistic, minSamples: model.drift.minSamples }],
  );
}
