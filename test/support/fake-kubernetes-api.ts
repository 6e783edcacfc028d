import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate for 127.0.0.1 (openssl), so the client under test verifies TLS against a CA as it would the cluster's. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=kube-apiserver',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

type Json = Record<string, any>;

/** RFC 7386-style merge for maps, which is what a strategic merge patch of annotations does. */
function merge(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) ? merge(target[key] ?? {}, value) : value;
  }
  return out;
}

/**
 * A stand-in for the Kubernetes API server with one Deployment and a simulated Deployment controller: a template change
 * bumps the generation and starts a rolling update; each GET advances it one step; pods of a version in
 * `brokenVersions` never become ready, so after `stepsToDeadline` GETs the Progressing condition reports
 * ProgressDeadlineExceeded, as the real controller does after progressDeadlineSeconds. Only GET and a strategic merge
 * PATCH of that Deployment are accepted (415 for another patch type, 404 elsewhere, 401 without a bearer token).
 */
export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  readonly certificate = selfSignedCertificate();
  private server?: Server;
  private deployment: Json;
  private progress = 0;
  private rolling = false;

  constructor(
    private readonly namespace: string,
    private readonly name: string,
    initial: { annotations: Record<string, string>; templateAnnotations: Record<string, string>; replicas: number; status?: Json },
    private readonly options: { brokenVersions: readonly string[]; versionAnnotation: string; stepsToReady?: number; stepsToDeadline?: number },
  ) {
    this.deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, generation: 1, annotations: initial.annotations },
      spec: { replicas: initial.replicas, template: { metadata: { annotations: initial.templateAnnotations } } },
      status: initial.status ?? {
        observedGeneration: 1,
        replicas: initial.replicas,
        updatedReplicas: initial.replicas,
        availableReplicas: initial.replicas,
        conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
      },
    };
  }

  get current(): Json {
    return this.deployment;
  }

  async start(): Promise<string> {
    this.server = createServer({ key: this.certificate.key, cert: this.certificate.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        const reply = (status: number, json: Json) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(json));
        };
        if (!/^Bearer k8s-aws-v1\.[A-Za-z0-9_-]+$/.test(String(req.headers.authorization))) return reply(401, { kind: 'Status', message: 'Unauthorized' });
        if (req.url !== `/apis/apps/v1/namespaces/${this.namespace}/deployments/${this.name}`)
          return reply(404, { kind: 'Status', message: `${req.url} not found` });
        if (req.method === 'GET') {
          this.advance();
          return reply(200, this.deployment);
        }
        if (req.method === 'PATCH') {
          if (req.headers['content-type'] !== 'application/strategic-merge-patch+json')
            return reply(415, { kind: 'Status', message: `unsupported media type ${req.headers['content-type']}` });
          const before = JSON.stringify(this.deployment.spec.template);
          this.deployment = merge(this.deployment, JSON.parse(body) as Json);
          if (JSON.stringify(this.deployment.spec.template) !== before) this.startRollout();
          return reply(200, this.deployment);
        }
        return reply(405, { kind: 'Status', message: `${req.method} not allowed` });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private startRollout(): void {
    const metadata = this.deployment.metadata;
    metadata.generation += 1;
    this.rolling = true;
    this.progress = 0;
    this.deployment.status = {
      ...this.deployment.status,
      observedGeneration: metadata.generation,
      updatedReplicas: 0,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }],
    };
  }

  private advance(): void {
    if (!this.rolling) return;
    this.progress += 1;
    const replicas = this.deployment.spec.replicas as number;
    const version = this.deployment.spec.template.metadata.annotations[this.options.versionAnnotation];
    if (this.options.brokenVersions.includes(version)) {
      // One surge pod that never becomes ready; the old pods keep serving (maxUnavailable 0).
      this.deployment.status = { ...this.deployment.status, replicas: replicas + 1, updatedReplicas: 1, availableReplicas: replicas };
      if (this.progress >= (this.options.stepsToDeadline ?? 3)) {
        this.deployment.status.conditions = [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${this.name}-x" has timed out progressing.` },
        ];
        this.rolling = false;
      }
      return;
    }
    const updated = Math.min(replicas, Math.ceil((this.progress / (this.options.stepsToReady ?? 2)) * replicas));
    const done = updated === replicas;
    this.deployment.status = {
      ...this.deployment.status,
      replicas: done ? replicas : replicas + 1,
      updatedReplicas: updated,
      availableReplicas: replicas,
      conditions: [{ type: 'Progressing', status: 'True', reason: done ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' }],
    };
    if (done) this.rolling = false;
  }
}
