/**
 * npm run bench:serving — in one run on this machine: the raw onnxruntime limit, the
 * HTTP floor, and our server with batching on and off at concurrency 1, 16 and 64.
 * BENCH_MEASURE_MS (default 2500) sets each load cell's measurement window.
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { effectiveCpuCount } from '../../serving/src/cpu-quota';
import { runLoad, type LoadResult } from './load-client';
import { startProcess, stopProcess } from './processes';
import { measureRaw, type RawPoint } from './raw-limit';

const ROOT = resolve(__dirname, '../..');
const MODELS = ['digits-mlp', 'heavy-mlp'] as const;
const CONCURRENCY = [1, 16, 64] as const;
const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 2500);
const WARMUP_MS = 500;
const THREADS = effectiveCpuCount();
const SERVER_PORT = 18180;
const FLOOR_PORT = 18181;

type Model = (typeof MODELS)[number];
const reference = (model: Model) => JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8'));
const requestBody = (model: Model) => {
  const ref = reference(model);
  return JSON.stringify({ inputs: [{ name: ref.inputName, shape: [1, ref.inputs[0].length], datatype: 'FP32', data: ref.inputs[0] }] });
};

/** Repository whose model files link to serving/models, with batching forced off when asked. */
function repository(batching: boolean): string {
  const root = mkdtempSync(join(tmpdir(), `bench-serving-${batching ? 'on' : 'off'}-`));
  for (const model of MODELS) {
    const dir = join(root, model, '1');
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(ROOT, 'serving/models', model, '1', 'model.onnx'), join(dir, 'model.onnx'));
    const shippedPath = join(ROOT, 'serving/models', model, '1', 'config.json');
    const shipped = existsSync(shippedPath) ? JSON.parse(readFileSync(shippedPath, 'utf8')) : {};
    writeFileSync(join(dir, 'config.json'), JSON.stringify(batching ? shipped : { ...shipped, maxBatchSize: 1 }));
  }
  return root;
}

async function loadCells(url: (model: Model) => string, models: readonly Model[]): Promise<Map<string, LoadResult>> {
  const cells = new Map<string, LoadResult>();
  for (const model of models) {
    for (const concurrency of CONCURRENCY) {
      cells.set(`${model}@${concurrency}`, await runLoad({ url: url(model), body: requestBody(model), concurrency, warmupMs: WARMUP_MS, measureMs: MEASURE_MS }));
    }
  }
  return cells;
}

async function main(): Promise<void> {
  console.log(`bench:serving — ${THREADS} onnxruntime intra-op threads, ${MEASURE_MS} ms per cell after ${WARMUP_MS} ms warm-up\n`);

  const raw = new Map<Model, RawPoint[]>();
  for (const model of MODELS) {
    const ref = reference(model);
    raw.set(model, await measureRaw(join(ROOT, 'serving/models', model, '1', 'model.onnx'), ref.inputName, ref.inputs[0], BATCH_SIZES, THREADS, 600));
  }

  const floorAnswer = JSON.stringify({ model_name: 'digits-mlp', model_version: '1', outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [1, 10], data: reference('digits-mlp').expectedProbabilities[0] }] });
  const floorProcess = await startProcess('bench/serving/floor-server.ts', [String(FLOOR_PORT)], { FLOOR_ANSWER: floorAnswer }, `http://127.0.0.1:${FLOOR_PORT}/`);
  const floor = await loadCells(() => `http://127.0.0.1:${FLOOR_PORT}/`, ['digits-mlp']);
  await stopProcess(floorProcess);

  const served = new Map<boolean, Map<string, LoadResult>>();
  for (const batching of [true, false]) {
    const repo = repository(batching);
    const server = await startProcess('serving/src/main.ts', ['--model-repository', repo, '--port', String(SERVER_PORT)], { LOG_LEVEL: 'WARN', MODEL_POLL_INTERVAL_SECONDS: '0' }, `http://127.0.0.1:${SERVER_PORT}/v2/health/ready`);
    try {
      served.set(batching, await loadCells((model) => `http://127.0.0.1:${SERVER_PORT}/v2/models/${model}/infer`, MODELS));
    } finally {
      await stopProcess(server);
      rmSync(repo, { recursive: true, force: true });
    }
  }
  report(raw, floor, served);
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pad = (s: string, n: number) => s.padStart(n);

function report(raw: Map<Model, RawPoint[]>, floor: Map<string, LoadResult>, served: Map<boolean, Map<string, LoadResult>>): void {
  console.log('1. Raw limit: in-process session.run (rows/s)');
  console.log(`${'model'.padEnd(12)}${pad('batch 1', 10)}${pad('ms/run', 9)}${pad('best batch', 12)}${pad('rows/s', 10)}${pad('best<=64', 10)}${pad('rows/s', 10)}`);
  const best = (model: Model, max = Infinity) => raw.get(model)!.filter((p) => p.batchSize <= max).reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  for (const model of MODELS) {
    const one = raw.get(model)![0]!;
    const top = best(model);
    const reachable = best(model, 64);
    console.log(`${model.padEnd(12)}${pad(f(one.rowsPerSecond), 10)}${pad(f(one.msPerRun, 3), 9)}${pad(String(top.batchSize), 12)}${pad(f(top.rowsPerSecond), 10)}${pad(String(reachable.batchSize), 10)}${pad(f(reachable.rowsPerSecond), 10)}`);
  }

  console.log('\n2./3. HTTP floor and our server (one row per request): requests/s, p50 ms, p99 ms');
  console.log(`${'target'.padEnd(30)}${CONCURRENCY.map((c) => pad(`c=${c} rps`, 11) + pad('p50', 8) + pad('p99', 8)).join('')}`);
  const row = (label: string, cells: Map<string, LoadResult>, model: Model) => {
    const parts = CONCURRENCY.map((c) => {
      const r = cells.get(`${model}@${c}`)!;
      return pad(f(r.requestsPerSecond), 11) + pad(f(r.p50Ms, 2), 8) + pad(f(r.p99Ms, 2), 8) + (r.errors > 0 ? ` (${r.errors} errors)` : '');
    });
    console.log(`${label.padEnd(30)}${parts.join('')}`);
  };
  row('HTTP floor (constant answer)', floor, 'digits-mlp');
  for (const model of MODELS) {
    row(`${model} batching on`, served.get(true)!, model);
    row(`${model} batching off`, served.get(false)!, model);
  }

  const on = served.get(true)!;
  const off = served.get(false)!;
  const heavy64 = on.get('heavy-mlp@64')!.requestsPerSecond;
  const small64 = on.get('digits-mlp@64')!.requestsPerSecond;
  const floor64 = floor.get('digits-mlp@64')!.requestsPerSecond;
  const c1Budget = raw.get('digits-mlp')![0]!.msPerRun + floor.get('digits-mlp@1')!.p50Ms;
  const c1 = on.get('digits-mlp@1')!.p50Ms;
  const verdict = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');
  console.log('\n4. Ratios');
  console.log(`heavy-mlp server c=64 / raw best batch (${best('heavy-mlp').batchSize})        ${f(heavy64 / best('heavy-mlp').rowsPerSecond, 2)}   goal >= 0.85: ${verdict(heavy64 / best('heavy-mlp').rowsPerSecond >= 0.85)}`);
  console.log(`heavy-mlp server c=64 / raw best batch <= 64 (${best('heavy-mlp', 64).batchSize})   ${f(heavy64 / best('heavy-mlp', 64).rowsPerSecond, 2)}   (64 clients cannot fill a bigger batch)`);
  console.log(`digits-mlp server c=64 / HTTP floor c=64               ${f(small64 / floor64, 2)}   goal >= 0.60: ${verdict(small64 / floor64 >= 0.6)}`);
  console.log(`digits-mlp c=1 p50 - (raw batch-1 + floor p50)        ${f(c1 - c1Budget, 3)} ms   goal <= 0.5 ms: ${verdict(c1 - c1Budget <= 0.5)}`);
  for (const model of MODELS) {
    const ratios = CONCURRENCY.map((c) => `c=${c}: ${f(on.get(`${model}@${c}`)!.requestsPerSecond / off.get(`${model}@${c}`)!.requestsPerSecond, 2)}`);
    console.log(`${model} batching on / off (throughput)        ${ratios.join('  ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
