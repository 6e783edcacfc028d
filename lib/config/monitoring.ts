import { z } from 'zod';

/** How people sign in to the environment's Grafana workspace. */
export const grafanaConfigSchema = z.discriminatedUnion('authentication', [
  z.strictObject({
    /** IAM Identity Center users and groups; assign them to the workspace (Admin/Editor/Viewer) after deploy. */
    authentication: z.literal('AWS_SSO'),
  }),
  z.strictObject({
    /** A SAML 2.0 identity provider (Okta, Entra ID, ...). */
    authentication: z.literal('SAML'),
    /** URL of the identity provider's SAML metadata document. */
    samlMetadataUrl: z.url({ protocol: /^https$/, error: 'an https:// URL of the identity provider SAML metadata' }),
    /** Assertion attribute holding the user's groups. */
    groupsAttribute: z.string().min(1).default('groups'),
    /** Groups (values of `groupsAttribute`) that are Grafana admins; everyone else signs in as a viewer. */
    adminGroups: z.array(z.string().min(1)).min(1),
  }),
]);
export type GrafanaConfig = z.infer<typeof grafanaConfigSchema>;

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
