import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One result of an instant query: the series' labels and its value. */
export interface PrometheusSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/**
 * A real Prometheus (Debian's `prometheus`) on 127.0.0.1 with its own config and data directory, stopped by its PID.
 * The config is written as JSON, which is YAML.
 */
export class LocalPrometheus {
  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly directory: string,
  ) {}

  /**
   * `backfill`: OpenMetrics text (ending in `# EOF`, samples with timestamps) written into the data directory with
   * `promtool tsdb create-blocks-from openmetrics` before Prometheus starts, so queries see it at once.
   */
  static async start(config: object, options: { backfill?: string } = {}): Promise<LocalPrometheus> {
    const directory = mkdtempSync(join(tmpdir(), 'prometheus-'));
    const configFile = join(directory, 'prometheus.yml');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    if (options.backfill !== undefined) {
      const samples = join(directory, 'backfill.om');
      writeFileSync(samples, options.backfill);
      try {
        execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', samples, join(directory, 'data')], { stdio: 'pipe' });
      } catch (error) {
        rmSync(directory, { recursive: true, force: true });
        throw new Error(`promtool could not backfill: ${(error as { stderr?: Buffer }).stderr?.toString() ?? String(error)}`, { cause: error });
      }
    }
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [`--config.file=${configFile}`, `--storage.tsdb.path=${join(directory, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const prometheus = new LocalPrometheus(`http://127.0.0.1:${port}`, child, directory);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
      const ready = await fetch(`${prometheus.url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return prometheus;
      await sleep(100);
    }
    await prometheus.stop();
    throw new Error(`prometheus was not ready within 20 s: ${stderr}`);
  }

  /** An instant query through the HTTP API; throws with Prometheus' own error on a bad expression. */
  async query(expression: string): Promise<PrometheusSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: expression }).toString()}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PrometheusSample[] } };
    if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`);
    return body.data!.resultType === 'vector' ? body.data!.result : [];
  }

  /** Targets and their health, as the scrape loop sees them. */
  async targets(): Promise<Array<{ health: string; labels: Record<string, string>; lastError: string }>> {
    const response = await fetch(`${this.url}/api/v1/targets`);
    return ((await response.json()) as { data: { activeTargets: Array<{ health: string; labels: Record<string, string>; lastError: string }> } }).data
      .activeTargets;
  }

  /** Polls `expression` until it returns a series or the timeout passes. */
  async waitFor(expression: string, timeoutMs = 20_000): Promise<PrometheusSample[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await this.query(expression);
      if (result.length > 0 || Date.now() > deadline) return result;
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.pid !== undefined) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      process.kill(this.process.pid, 'SIGTERM');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
