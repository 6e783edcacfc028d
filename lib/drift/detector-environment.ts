import { z } from 'zod';

/**
 * The drift detector's environment variables: the construct sets them, the handler reads them — one list, here.
 */
export const DRIFT_DETECTOR_ENV = {
  environmentName: 'ENVIRONMENT_NAME',
  /** JSON: the models to check, with their thresholds (`driftModelsSchema`). */
  models: 'DRIFT_MODELS',
  /** Minutes between runs: the window grid. */
  scheduleMinutes: 'DRIFT_SCHEDULE_MINUTES',
  /** Silver bucket: capture in, watermarks and detection markers. */
  silverBucket: 'SILVER_BUCKET',
  /** The model repository bucket; its prefix comes in `LAYOUT_ENVIRONMENT.modelRepositoryPrefix` (lib/lakehouse). */
  modelRepositoryBucket: 'MODEL_REPOSITORY_BUCKET',
  /** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group name prefix>`: a version's package is `<this><model>/<version>`. */
  modelPackageArnPrefix: 'MODEL_PACKAGE_ARN_PREFIX',
  eventBusName: 'EVENT_BUS_NAME',
} as const;

export const driftModelsSchema = z.array(
  z.strictObject({
    name: z.string().min(1),
    psiThreshold: z.number().positive(),
    ksStatistic: z.number().gt(0).max(1),
    minSamples: z.number().int().positive(),
  }),
);
export type DriftModel = z.infer<typeof driftModelsSchema>[number];

/** Windows never reach back further than this: older unread capture is ignored (a detector paused for weeks). */
export const MAX_WINDOW_DAYS = 7;
/** Window ends trail the clock by this much, so uploads still in flight land in the next window, not in none. */
export const WINDOW_LAG_MINUTES = 2;
