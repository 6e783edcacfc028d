import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HttpServingServer } from '../../../../serving/src/adapters/http-server';
import { createServingApp, type ServingApp } from '../../../../serving/src/app';
import type { ServingLogger } from '../../../../serving/src/logger';
import { httpLimitsOf, loadSettings } from '../../../../serving/src/settings';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/** Collects log lines instead of printing them, so tests can assert on what was reported. */
export function memoryLogger(): ServingLogger & { lines: { level: string; message: string; extra: unknown[] }[] } {
  const lines: { level: string; message: string; extra: unknown[] }[] = [];
  const at =
    (level: string) =>
    (message: unknown, ...extra: unknown[]) =>
      void lines.push({ level, message: String(message), extra });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A model repository in a temp folder: `{ 'scale/1/model.onnx': 'scale-v1.onnx' (fixture) | { json } }`. */
export class TempRepository {
  readonly root = mkdtempSync(join(tmpdir(), 'serving-repo-'));

  constructor(files: Record<string, string | object> = {}) {
    for (const [path, content] of Object.entries(files)) this.put(path, content);
  }

  /** Writes a fixture model (by file name) or a JSON config; atomically, as the docs ask operators to. */
  put(path: string, content: string | object): void {
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    const staging = `${target}.tmp`;
    if (typeof content === 'string') copyFileSync(join(FIXTURES, content), staging);
    else writeFileSync(staging, JSON.stringify(content));
    renameSync(staging, target);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface RunningServer {
  readonly url: string;
  readonly app: ServingApp;
  readonly http: HttpServingServer;
  readonly logger: ReturnType<typeof memoryLogger>;
  stop(): Promise<void>;
}

/** Starts the real HTTP server in-process on an ephemeral loopback port. */
export async function startServer(repository: string, env: Record<string, string> = {}, options: { scan?: boolean } = {}): Promise<RunningServer> {
  const settings = loadSettings({ MODEL_REPOSITORY: repository, PORT: '0', MODEL_POLL_INTERVAL_SECONDS: '0', ORT_INTRA_OP_THREADS: '1', ...env });
  const logger = memoryLogger();
  const app = createServingApp(settings, logger);
  const http = new HttpServingServer(app.core, httpLimitsOf(settings), logger, app.metrics);
  const address = await http.listen(0, '127.0.0.1');
  if (options.scan ?? true) await app.repository.start();
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    http,
    logger,
    stop: async () => {
      await http.close();
      await app.repository.close();
    },
  };
}
