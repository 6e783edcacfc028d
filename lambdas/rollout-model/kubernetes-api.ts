import { request } from 'node:https';

/** The fields of an apps/v1 Deployment the rollout reads (Kubernetes API reference, Deployment v1 apps). */
export interface Deployment {
  readonly metadata: { readonly name: string; readonly generation?: number; readonly annotations?: Record<string, string> };
  readonly spec: { readonly replicas?: number; readonly template: { readonly metadata?: { readonly annotations?: Record<string, string> } } };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
    readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }>;
  };
}

/** The two calls the rollout makes; RBAC allows exactly these (get, patch) on the model's Deployment. */
export interface KubernetesApi {
  getDeployment(namespace: string, name: string): Promise<Deployment>;
  /** A strategic merge patch (`application/strategic-merge-patch+json`). */
  patchDeployment(namespace: string, name: string, patch: object): Promise<Deployment>;
}

export interface KubernetesConnection {
  /** `https://...` API server endpoint. */
  readonly endpoint: string;
  /** PEM certificate authority of the API server. */
  readonly certificateAuthority: string;
  /** A fresh bearer token per request (EKS tokens live 60 s). */
  readonly token: () => Promise<string>;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
}

/** A non-2xx answer of the API server, with its Status message. */
export class KubernetesApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
  }
}

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** A Kubernetes API client over node:https that trusts only the cluster's CA. */
export function createKubernetesApi(connection: KubernetesConnection): KubernetesApi {
  const path = (namespace: string, name: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`;
  return {
    getDeployment: (namespace, name) => call(connection, 'GET', path(namespace, name)),
    patchDeployment: (namespace, name, patch) => call(connection, 'PATCH', path(namespace, name), patch),
  };
}

async function call(connection: KubernetesConnection, method: 'GET' | 'PATCH', path: string, body?: object): Promise<Deployment> {
  const url = new URL(path, connection.endpoint);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { authorization: `Bearer ${await connection.token()}`, accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = STRATEGIC_MERGE_PATCH;
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: connection.certificateAuthority, timeout: connection.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          let message = text;
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            // not a Status object: keep the raw text
          }
          reject(new KubernetesApiError(status, `${method} ${path}: HTTP ${status}: ${message}`));
          return;
        }
        try {
          resolve(JSON.parse(text) as Deployment);
        } catch (error) {
          reject(new Error(`${method} ${path}: the API server answered invalid JSON: ${(error as Error).message}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${connection.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
