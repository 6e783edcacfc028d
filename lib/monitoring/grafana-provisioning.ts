import { z } from 'zod';

/**
 * The contract between the GrafanaWorkspace construct and the provision-grafana function: the custom resource's
 * properties (CloudFormation passes every scalar as a string, so structured values travel as JSON strings), the
 * service account it provisions through, and the life of the token it uses.
 */

/** A token lives at most 5 minutes: long enough for one provisioning run, useless soon after if it leaked. */
export const GRAFANA_TOKEN_TTL_SECONDS = 300;
/** The workspace service account the provisioning signs in as (Grafana admin: data sources, plugins, folders). */
export const GRAFANA_SERVICE_ACCOUNT = { name: 'mlops-provisioning', grafanaRole: 'ADMIN' } as const;

const uid = z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'a Grafana uid (letters, digits, - and _, at most 40)');

/** A data source as Grafana's HTTP API takes it (`POST /api/datasources`), with an explicit uid. */
export const grafanaDataSourceSchema = z.looseObject({
  uid,
  name: z.string().min(1),
  type: z.string().min(1),
  access: z.literal('proxy'),
});
export type GrafanaDataSource = z.infer<typeof grafanaDataSourceSchema>;

/** A dashboard model as `POST /api/dashboards/db` takes it, with an explicit uid. */
export const grafanaDashboardSchema = z.looseObject({ uid, title: z.string().min(1) });
export type GrafanaDashboardModel = z.infer<typeof grafanaDashboardSchema>;

/** A plugin the data sources need, at the version that runs on the workspace's Grafana. */
export const grafanaPluginSchema = z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/), version: z.string().regex(/^\d+\.\d+\.\d+$/) });
export type GrafanaPlugin = z.infer<typeof grafanaPluginSchema>;

/** What the construct gives the custom resource, before CloudFormation stringifies it. */
export interface GrafanaProvisioning {
  readonly workspaceId: string;
  /** `https://<workspace endpoint>`. */
  readonly grafanaUrl: string;
  readonly folder: { readonly uid: string; readonly title: string };
  readonly plugins: readonly GrafanaPlugin[];
  readonly dataSources: readonly GrafanaDataSource[];
  readonly dashboards: readonly GrafanaDashboardModel[];
}

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** The custom resource's properties as the function receives them (ServiceToken aside). */
export const grafanaProvisioningPropertiesSchema = z
  .looseObject({
    WorkspaceId: z.string().regex(/^g-[0-9a-f]{10}$/, 'an Amazon Managed Grafana workspace id (g-0123456789)'),
    GrafanaUrl: z.url({ protocol: /^https?$/ }),
    Folder: json(z.strictObject({ uid, title: z.string().min(1) })),
    Plugins: json(z.array(grafanaPluginSchema)),
    DataSources: json(z.array(grafanaDataSourceSchema)),
    Dashboards: json(z.array(grafanaDashboardSchema)),
  })
  .transform((p): GrafanaProvisioning => ({
    workspaceId: p.WorkspaceId,
    grafanaUrl: p.GrafanaUrl,
    folder: p.Folder,
    plugins: p.Plugins,
    dataSources: p.DataSources,
    dashboards: p.Dashboards,
  }));

/** The properties the construct writes into the template (values may be tokens; JSON values are stringified by the caller). */
export function grafanaProvisioningProperties(p: GrafanaProvisioning, toJson: (value: unknown) => string = JSON.stringify): Record<string, string> {
  return {
    WorkspaceId: p.workspaceId,
    GrafanaUrl: p.grafanaUrl,
    Folder: toJson(p.folder),
    Plugins: toJson(p.plugins),
    DataSources: toJson(p.dataSources),
    Dashboards: toJson(p.dashboards),
  };
}

/** `<workspace id>/<service account id>`: what the resource created, so Update and Delete find it. */
export function provisioningPhysicalId(workspaceId: string, serviceAccountId: string): string {
  return `${workspaceId}/${serviceAccountId}`;
}

/** The workspace and service account of a physical id, or undefined for one this function never made (a failed Create). */
export function parseProvisioningPhysicalId(physicalId: string | undefined): { workspaceId: string; serviceAccountId: string } | undefined {
  const match = /^(g-[0-9a-f]{10})\/([A-Za-z0-9_-]+)$/.exec(physicalId ?? '');
  return match ? { workspaceId: match[1], serviceAccountId: match[2] } : undefined;
}
