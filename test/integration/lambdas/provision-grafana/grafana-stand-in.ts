// A local HTTP server standing in for the parts of Grafana's HTTP API that provisioning uses (paths, methods, status
// codes and bodies as Grafana 10.4's HTTP API documentation describes them), plus the pre-signed URL CloudFormation
// waits on. It accepts only `Authorization: Bearer <token>` with a token the test has issued and not yet revoked.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: any;
  readonly at: number;
}

export class GrafanaStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly cfnResponses: any[] = [];
  readonly validTokens = new Set<string>();
  readonly plugins = new Map<string, string>();
  readonly folders = new Map<string, { uid: string; title: string }>();
  readonly dataSources = new Map<string, any>();
  readonly dashboards = new Map<string, { dashboard: any; folderUid: string; version: number }>();
  /** Answer this status instead (fault injection), e.g. `(m, p) => (p === '/api/dashboards/db' ? 500 : undefined)`. */
  failWith: (method: string, path: string) => number | undefined = () => undefined;
  private server?: Server;
  private nextId = 1;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const path = new URL(req.url!, 'http://x').pathname;
        const body = text === '' ? undefined : JSON.parse(text);
        const [status, answer] = this.route(req.method!, path, req.headers.authorization, body);
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private route(method: string, path: string, authorization: string | undefined, body: any): [number, unknown] {
    if (path.startsWith('/cfn-response/')) {
      this.cfnResponses.push(body);
      return [200, {}];
    }
    this.requests.push({ method, path, authorization, body, at: performance.now() });
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token || !this.validTokens.has(token)) return [401, { message: 'invalid API key' }];
    const injected = this.failWith(method, path);
    if (injected !== undefined) return [injected, { message: 'injected failure' }];
    const notFound = (what: string): [number, unknown] => [404, { message: `${what} not found` }];
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/plugins\/([\w-]+)\/settings$/.exec(path)) && method === 'GET') {
      return this.plugins.has(m[1]) ? [200, { id: m[1], info: { version: this.plugins.get(m[1]) } }] : notFound('Plugin');
    }
    if ((m = /^\/api\/plugins\/([\w-]+)\/install$/.exec(path)) && method === 'POST') {
      this.plugins.set(m[1], body?.version ?? 'latest');
      return [200, {}];
    }
    if (path === '/api/folders' && method === 'POST') {
      if (this.folders.has(body.uid)) return [409, { message: 'a folder with the same uid already exists' }];
      this.folders.set(body.uid, { uid: body.uid, title: body.title });
      return [200, { id: this.nextId++, uid: body.uid, title: body.title }];
    }
    if ((m = /^\/api\/folders\/([\w-]+)$/.exec(path))) {
      const folder = this.folders.get(m[1]);
      if (!folder) return notFound('Folder');
      if (method === 'GET') return [200, folder];
      if (method === 'DELETE') {
        this.folders.delete(m[1]);
        return [200, { message: 'Folder deleted' }];
      }
    }
    if (path === '/api/datasources' && method === 'POST') {
      if (this.dataSources.has(body.uid) || [...this.dataSources.values()].some((ds) => ds.name === body.name))
        return [409, { message: 'data source with the same name already exists' }];
      if (!body.name || !body.type || !body.access) return [400, { message: 'name, type and access are required' }];
      this.dataSources.set(body.uid, { ...body, id: this.nextId++ });
      return [200, { datasource: this.dataSources.get(body.uid), id: this.dataSources.get(body.uid).id, message: 'Datasource added', name: body.name }];
    }
    if ((m = /^\/api\/datasources\/uid\/([\w-]+)$/.exec(path))) {
      const existing = this.dataSources.get(m[1]);
      if (!existing) return notFound('Data source');
      if (method === 'GET') return [200, existing];
      if (method === 'PUT') {
        if (body.uid !== m[1]) return [400, { message: 'uid in the body differs from the path' }];
        this.dataSources.set(m[1], { ...body, id: existing.id });
        return [200, { datasource: this.dataSources.get(m[1]), id: existing.id, message: 'Datasource updated', name: body.name }];
      }
      if (method === 'DELETE') {
        this.dataSources.delete(m[1]);
        return [200, { message: 'Data source deleted' }];
      }
    }
    if (path === '/api/dashboards/db' && method === 'POST') {
      const { dashboard, folderUid, overwrite } = body ?? {};
      if (!dashboard?.uid || !dashboard?.title) return [400, { message: 'Dashboard title cannot be empty' }];
      if (folderUid && !this.folders.has(folderUid)) return [400, { message: 'folder not found' }];
      const existing = this.dashboards.get(dashboard.uid);
      if (existing && !overwrite) return [412, { status: 'name-exists', message: 'A dashboard with the same uid already exists' }];
      const version = (existing?.version ?? 0) + 1;
      this.dashboards.set(dashboard.uid, { dashboard, folderUid, version });
      return [200, { id: this.nextId++, uid: dashboard.uid, url: `/d/${dashboard.uid}`, status: 'success', version }];
    }
    if ((m = /^\/api\/dashboards\/uid\/([\w-]+)$/.exec(path)) && method === 'DELETE') {
      if (!this.dashboards.delete(m[1])) return notFound('Dashboard');
      return [200, { title: m[1], message: 'Dashboard deleted' }];
    }
    return [404, { message: `no route ${method} ${path}` }];
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
