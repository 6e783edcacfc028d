import { type GrafanaClient, ResourceNotFoundException } from '@aws-sdk/client-grafana';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  type GrafanaProvisioning,
  grafanaProvisioningPropertiesSchema,
  parseProvisioningPhysicalId,
  provisioningPhysicalId,
} from '../../lib/monitoring/grafana-provisioning';
import { GrafanaHttpApi } from './grafana-http-api';
import { deleteServiceAccount, ensureServiceAccount, type ProvisioningLog, withServiceAccountToken } from './service-account';

export interface ProvisioningDeps {
  readonly grafana: GrafanaClient;
  readonly log: ProvisioningLog;
}

export interface ProvisioningOutcome {
  readonly physicalResourceId: string;
  readonly data: Record<string, string>;
}

const DASHBOARD_MESSAGE = 'Provisioned by mlops-blueprint (GrafanaWorkspace custom resource)';

/** Create, Update or Delete of the Grafana provisioning custom resource; throws what CloudFormation should report. */
export async function handleProvisioningEvent(event: CloudFormationCustomResourceEvent, deps: ProvisioningDeps): Promise<ProvisioningOutcome> {
  switch (event.RequestType) {
    case 'Create':
      return create(parseProperties(event.ResourceProperties), deps);
    case 'Update': {
      const wanted = parseProperties(event.ResourceProperties);
      const existing = parseProvisioningPhysicalId(event.PhysicalResourceId);
      // A new workspace is a new resource: CloudFormation then deletes the old one with its own properties.
      if (existing?.workspaceId !== wanted.workspaceId) return create(wanted, deps);
      const previous = grafanaProvisioningPropertiesSchema.safeParse(event.OldResourceProperties);
      await withServiceAccountToken(deps.grafana, existing, deps.log, async (token) => {
        const api = new GrafanaHttpApi(wanted.grafanaUrl, token);
        await apply(api, wanted, deps.log);
        if (previous.success) await removeStale(api, previous.data, wanted, deps.log);
      });
      return outcome(existing.workspaceId, existing.serviceAccountId, wanted);
    }
    case 'Delete':
      return remove(event, deps);
  }
}

async function create(wanted: GrafanaProvisioning, deps: ProvisioningDeps): Promise<ProvisioningOutcome> {
  const serviceAccountId = await ensureServiceAccount(deps.grafana, wanted.workspaceId);
  deps.log.info('Provisioning service account ready', { workspaceId: wanted.workspaceId, serviceAccountId });
  await withServiceAccountToken(deps.grafana, { workspaceId: wanted.workspaceId, serviceAccountId }, deps.log, (token) =>
    apply(new GrafanaHttpApi(wanted.grafanaUrl, token), wanted, deps.log),
  );
  return outcome(wanted.workspaceId, serviceAccountId, wanted);
}

/** Plugins, then the folder, the data sources (the dashboards name them by uid) and the dashboards. */
async function apply(api: GrafanaHttpApi, wanted: GrafanaProvisioning, log: ProvisioningLog): Promise<void> {
  for (const plugin of wanted.plugins) log.info(`Plugin ${await api.ensurePlugin(plugin)}`, { plugin: plugin.id, version: plugin.version });
  log.info(`Folder ${await api.ensureFolder(wanted.folder)}`, { folderUid: wanted.folder.uid });
  for (const dataSource of wanted.dataSources)
    log.info(`Data source ${await api.upsertDataSource(dataSource)}`, { uid: dataSource.uid, type: dataSource.type });
  for (const dashboard of wanted.dashboards) {
    await api.saveDashboard(dashboard, wanted.folder.uid, DASHBOARD_MESSAGE);
    log.info('Dashboard saved', { uid: dashboard.uid });
  }
}

/** What the previous properties provisioned and the new ones no longer do. */
async function removeStale(api: GrafanaHttpApi, previous: GrafanaProvisioning, wanted: GrafanaProvisioning, log: ProvisioningLog): Promise<void> {
  const keep = (items: ReadonlyArray<{ uid: string }>) => new Set(items.map((item) => item.uid));
  const dashboards = keep(wanted.dashboards);
  for (const { uid } of previous.dashboards.filter((d) => !dashboards.has(d.uid))) {
    await api.deleteDashboard(uid);
    log.info('Dashboard removed (no longer generated)', { uid });
  }
  const dataSources = keep(wanted.dataSources);
  for (const { uid } of previous.dataSources.filter((d) => !dataSources.has(d.uid))) {
    await api.deleteDataSource(uid);
    log.info('Data source removed (no longer configured)', { uid });
  }
  if (previous.folder.uid !== wanted.folder.uid) await api.deleteFolder(previous.folder.uid);
}

async function remove(event: CloudFormationCustomResourceEvent & { RequestType: 'Delete' }, deps: ProvisioningDeps): Promise<ProvisioningOutcome> {
  const existing = parseProvisioningPhysicalId(event.PhysicalResourceId);
  // A Create that failed before it made anything reported another physical id: nothing to delete.
  if (!existing) return { physicalResourceId: event.PhysicalResourceId, data: {} };
  const provisioned = grafanaProvisioningPropertiesSchema.safeParse(event.ResourceProperties);
  try {
    if (provisioned.success) {
      await withServiceAccountToken(deps.grafana, existing, deps.log, async (token) => {
        const api = new GrafanaHttpApi(provisioned.data.grafanaUrl, token);
        for (const { uid } of provisioned.data.dashboards) await api.deleteDashboard(uid);
        for (const { uid } of provisioned.data.dataSources) await api.deleteDataSource(uid);
        await api.deleteFolder(provisioned.data.folder.uid);
      });
    }
    await deleteServiceAccount(deps.grafana, existing.workspaceId, existing.serviceAccountId);
  } catch (error) {
    // The workspace or the service account is gone already: so is everything provisioned in it.
    if (!(error instanceof ResourceNotFoundException)) throw error;
    deps.log.info('Workspace or service account already deleted', { workspaceId: existing.workspaceId });
  }
  return { physicalResourceId: event.PhysicalResourceId, data: {} };
}

function outcome(workspaceId: string, serviceAccountId: string, provisioned: GrafanaProvisioning): ProvisioningOutcome {
  return {
    physicalResourceId: provisioningPhysicalId(workspaceId, serviceAccountId),
    data: { ServiceAccountId: serviceAccountId, DashboardUids: provisioned.dashboards.map((d) => d.uid).join(',') },
  };
}

function parseProperties(properties: unknown): GrafanaProvisioning {
  const parsed = grafanaProvisioningPropertiesSchema.safeParse(properties);
  if (!parsed.success)
    throw new Error(`Invalid Grafana provisioning properties: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
