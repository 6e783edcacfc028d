import type { GrafanaDashboardModel, GrafanaDataSource, GrafanaPlugin } from '../../lib/monitoring/grafana-provisioning';

/** A Grafana HTTP API call that did not succeed: method, path, status and Grafana's message, never the token. */
export class GrafanaApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`Grafana ${method} ${path} answered ${status}: ${detail}`);
    this.name = 'GrafanaApiError';
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The few Grafana HTTP API calls provisioning makes (Grafana 10.4; Amazon Managed Grafana serves the same API), each
 * with the service account token as a bearer token. Create-or-update is decided by a GET on the uid, so re-running
 * converges and an update overwrites.
 */
export class GrafanaHttpApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Installs a plugin unless Grafana already has it (`GET /api/plugins/:id/settings`, `POST /api/plugins/:id/install`). */
  async ensurePlugin(plugin: GrafanaPlugin): Promise<'installed' | 'present'> {
    if ((await this.request('GET', `/api/plugins/${plugin.id}/settings`, undefined, [404])).status === 200) return 'present';
    await this.request('POST', `/api/plugins/${plugin.id}/install`, { version: plugin.version });
    return 'installed';
  }

  /** `POST /api/folders` unless the folder exists. */
  async ensureFolder(folder: { uid: string; title: string }): Promise<'created' | 'present'> {
    if ((await this.request('GET', `/api/folders/${folder.uid}`, undefined, [404])).status === 200) return 'present';
    await this.request('POST', '/api/folders', { uid: folder.uid, title: folder.title });
    return 'created';
  }

  /** `PUT /api/datasources/uid/:uid` when it exists, `POST /api/datasources` otherwise. */
  async upsertDataSource(dataSource: GrafanaDataSource): Promise<'created' | 'updated'> {
    const path = `/api/datasources/uid/${dataSource.uid}`;
    if ((await this.request('GET', path, undefined, [404])).status === 200) {
      await this.request('PUT', path, dataSource);
      return 'updated';
    }
    await this.request('POST', '/api/datasources', dataSource);
    return 'created';
  }

  /** `POST /api/dashboards/db` with `overwrite: true`: creates the dashboard or replaces the one with its uid. */
  async saveDashboard(dashboard: GrafanaDashboardModel, folderUid: string, message: string): Promise<void> {
    // `id: null` with a uid: Grafana matches the existing dashboard by uid.
    await this.request('POST', '/api/dashboards/db', { dashboard: { ...dashboard, id: null }, folderUid, overwrite: true, message });
  }

  /** Deletes; a 404 (already gone) counts as done. */
  async deleteDashboard(uid: string): Promise<void> {
    await this.request('DELETE', `/api/dashboards/uid/${uid}`, undefined, [404]);
  }

  async deleteDataSource(uid: string): Promise<void> {
    await this.request('DELETE', `/api/datasources/uid/${uid}`, undefined, [404]);
  }

  async deleteFolder(uid: string): Promise<void> {
    await this.request('DELETE', `/api/folders/${uid}`, undefined, [404]);
  }

  private async request(method: string, path: string, body?: unknown, alsoAccepted: readonly number[] = []): Promise<{ status: number; body: unknown }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok || alsoAccepted.includes(response.status)) return { status: response.status, body: parsed };
    const message = typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : text.slice(0, 200);
    throw new GrafanaApiError(method, path, response.status, message);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
