import { z } from 'zod';
import { grafanaConfigSchema } from './grafana';

/** Alarm thresholds of the data path, per environment, with per-dataset overrides. */
export const monitoringConfigSchema = z.strictObject({
  /** An Amazon Managed Grafana workspace with the generated dashboards; absent: no Grafana (the AMP workspace and alarms stay). */
  grafana: grafanaConfigSchema.optional(),
  /** Share of a dataset's ingested rows (0-1) quarantined over an hour above which its alarm fires. */
  quarantineRatioThreshold: z.number().gt(0).lt(1).default(0.05),
  /** Hours without a new silver object of a dataset after which its freshness alarm fires. */
  silverFreshnessHours: z.number().int().min(1).max(168).default(24),
  /** Per-dataset overrides of the two thresholds, by dataset name. */
  datasets: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'a dataset name'),
      z.strictObject({
        quarantineRatioThreshold: z.number().gt(0).lt(1).optional(),
        silverFreshnessHours: z.number().int().min(1).max(168).optional(),
      }),
    )
    .default({}),
});
export type MonitoringConfig = z.infer<typeof monitoringConfigSchema>;

/** The thresholds of one dataset: its overrides, else the environment's. */
export function datasetThresholds(config: MonitoringConfig, dataset: string): { quarantineRatioThreshold: number; silverFreshnessHours: number } {
  const override = config.datasets[dataset] ?? {};
  return {
    quarantineRatioThreshold: override.quarantineRatioThreshold ?? config.quarantineRatioThreshold,
    silverFreshnessHours: override.silverFreshnessHours ?? config.silverFreshnessHours,
  };
}
