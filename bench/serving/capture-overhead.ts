/**
 * Inference capture's cost, measured in the serving benchmark's run:
 * - HTTP: requests/s of the server with capture at 100% (gzip JSON Lines to a local folder) against capture off,
 *   same model, same load. Goal ≥ 0.95.
 * - Lambda: p50/p99 of the Lambda handler (in process, digits-mlp) with capture at 100% flushing to an S3-compatible
 *   server (s3rver on loopback) within the invocation, against capture off. Goal: p99 + ≤ 5 ms.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startS3rver } from '../../test/support/s3rver';
import { createLambdaHandler, type HttpLambdaEvent } from '../../serving/src/adapters/lambda-adapter';
import { createServingApp } from '../../serving/src/app';
import { flushAfterEachInvocation } from '../../serving/src/capture/lambda-flush';
import { createLogger } from '../../serving/src/logger';
import { loadSettings } from '../../serving/src/settings';
import { startProcess, stopProcess } from './processes';

const ROOT = resolve(__dirname, '../..');

export interface ThroughputCell {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
}

export interface CaptureOverhead {
  readonly http: { readonly off: ThroughputCell; readonly on: ThroughputCell; readonly capturedFiles: string };
  readonly lambda: { readonly invocations: number; readonly off: Percentiles; readonly on: Percentiles; readonly flushes: number };
}

interface Percentiles {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** `load(url, body)` is the benchmark's own load generator (one cell at its highest concurrency). */
export async function measureCaptureOverhead(options: {
  readonly port: number;
  readonly repository: string;
  readonly body: string;
  readonly model: string;
  readonly load: (url: string, body: string, serverPid: number | undefined) => Promise<ThroughputCell>;
  readonly lambdaInvocations?: number;
}): Promise<CaptureOverhead> {
  const captureDir = mkdtempSync(join(tmpdir(), 'bench-capture-'));
  const cells: Record<'off' | 'on', ThroughputCell> = {} as never;
  try {
    for (const variant of ['off', 'on'] as const) {
      const env = { LOG_LEVEL: 'WARN', MODEL_POLL_INTERVAL_SECONDS: '0', ...(variant === 'on' ? { CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_DESTINATION: captureDir } : {}) };
      const server = await startProcess('serving/src/main.ts', ['--model-repository', options.repository, '--port', String(options.port)], env, `http://127.0.0.1:${options.port}/v2/health/ready`);
      try {
        cells[variant] = await options.load(`http://127.0.0.1:${options.port}/v2/models/${options.model}/infer`, options.body, server.pid);
      } finally {
        await stopProcess(server);
      }
    }
    const { execSync } = await import('node:child_process');
    const capturedFiles = execSync(`find ${captureDir} -name '*.jsonl.gz' | wc -l`, { encoding: 'utf8' }).trim();
    const lambda = await measureLambda(options.repository, options.body, options.model, options.lambdaInvocations ?? 2000);
    return { http: { ...cells, capturedFiles }, lambda };
  } finally {
    rmSync(captureDir, { recursive: true, force: true });
  }
}

async function measureLambda(repository: string, body: string, model: string, invocations: number): Promise<CaptureOverhead['lambda']> {
  const s3rver = await startS3rver(['silver']);
  const saved = { ...process.env };
  Object.assign(process.env, s3rver.sdkEnvironment);
  try {
    const results: Partial<Record<'off' | 'on', Percentiles>> = {};
    let flushes = 0;
    for (const variant of ['off', 'on'] as const) {
      const settings = loadSettings({ MODEL_REPOSITORY: repository, ORT_INTRA_OP_THREADS: '1', LOG_LEVEL: 'WARN', S3_FORCE_PATH_STYLE: 'true' });
      const env = variant === 'on' ? { ...process.env, CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_DESTINATION: 's3://silver', CAPTURE_FLUSH_INTERVAL_SECONDS: '1' } : { ...process.env, CAPTURE_SAMPLE_FRACTION: '0' };
      const app = createServingApp(settings, createLogger('WARN'), { captureMode: 'on-demand', env });
      const handler = flushAfterEachInvocation(createLambdaHandler({ core: app.core, logger: app.logger, maxBodyBytes: settings.maxBodyBytes, started: app.repository.start() }), app.capture);
      const event = {
        rawPath: `/v2/models/${model}/infer`,
        body,
        isBase64Encoded: false,
        headers: { 'content-type': 'application/json' },
        requestContext: { http: { method: 'POST' }, requestId: 'bench', stage: '$default' },
      } as unknown as HttpLambdaEvent;
      for (let i = 0; i < 200; i++) await handler(event); // warm-up
      const durations: number[] = [];
      for (let i = 0; i < invocations; i++) {
        const start = performance.now();
        await handler(event);
        durations.push(performance.now() - start);
      }
      if (variant === 'on') {
        const metrics = await app.metrics.render();
        flushes = Number(/serving_capture_files_written_total\{model="[^"]+"\} (\d+)/.exec(metrics.body)?.[1] ?? 0);
      }
      await app.capture?.close();
      await app.repository.close();
      durations.sort((a, b) => a - b);
      results[variant] = { p50Ms: durations[Math.floor(invocations * 0.5)]!, p99Ms: durations[Math.floor(invocations * 0.99)]! };
    }
    return { invocations, off: results.off!, on: results.on!, flushes };
  } finally {
    process.env = saved;
    await s3rver.stop();
  }
}

export function renderCaptureOverhead(result: CaptureOverhead): string {
  const ratio = result.http.on.requestsPerSecond / result.http.off.requestsPerSecond;
  const p99Added = result.lambda.on.p99Ms - result.lambda.off.p99Ms;
  return [
    '5. Inference capture (digits-mlp): 100% sampled vs off, same run',
    `HTTP c=64 requests/s: off ${result.http.off.requestsPerSecond.toFixed(0)}, capture 100% ${result.http.on.requestsPerSecond.toFixed(0)} (${result.http.capturedFiles} gzip files written)   ratio ${ratio.toFixed(2)}   goal >= 0.95: ${ratio >= 0.95 ? 'meets goal' : 'MISSES goal'}`,
    `Lambda handler, ${result.lambda.invocations} sequential invocations, flush to s3rver within the invocation every 1 s (${result.lambda.flushes} flushes): ` +
      `p50 ${result.lambda.off.p50Ms.toFixed(2)} -> ${result.lambda.on.p50Ms.toFixed(2)} ms, p99 ${result.lambda.off.p99Ms.toFixed(2)} -> ${result.lambda.on.p99Ms.toFixed(2)} ms   ` +
      `p99 added ${p99Added.toFixed(2)} ms   goal <= 5 ms: ${p99Added <= 5 ? 'meets goal' : 'MISSES goal'}`,
  ].join('\n');
}

/** Run alone: `tsx bench/serving/capture-overhead.ts` (the same rows `npm run bench:serving` prints). */
if (require.main === module) {
  void (async () => {
    const { runLoad } = await import('./load-client');
    const reference = JSON.parse(readFileSync(join(ROOT, 'serving/reference-data/digits-mlp.expected.json'), 'utf8'));
    const body = JSON.stringify({ inputs: [{ name: reference.inputName, shape: [1, 64], datatype: 'FP32', data: reference.inputs[0] }] });
    const measureMs = Number(process.env.BENCH_MEASURE_MS ?? 2500);
    const result = await measureCaptureOverhead({
      port: 18182,
      repository: join(ROOT, 'serving/models'),
      body,
      model: 'digits-mlp',
      load: (url, payload, serverPid) => runLoad({ url, body: payload, concurrency: 64, warmupMs: 500, measureMs, serverPid }),
      lambdaInvocations: Number(process.env.BENCH_LAMBDA_INVOCATIONS ?? 2000),
    });
    console.log(renderCaptureOverhead(result));
  })();
}
