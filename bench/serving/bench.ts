/**
 * npm run bench:serving — in one run on this machine: the raw onnxruntime limit, the
 * HTTP floor, and our server with batching on and off at concurrency 1, 16 and 64.
 * BENCH_MEASURE_MS (default 2500) sets each load cell's measurement window.
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { effectiveCpuCount } from '../../serving/src/cpu-quota';
import { encodeInferResponse } from '../../serving/src/protocol/infer-response';
import { runLoad, type LoadResult } from './load-client';
import { startProcess, stopProcess } from './processes';
import { measureRaw, type RawPoint } from './raw-limit';
import { batchTotals, meanBatchRows } from './server-metrics';
import { measureCaptureOverhead, renderCaptureOverhead } from './capture-overhead';

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
/** A model's reference inputs and outputs (serving/reference-data, written by `npm run models:generate`). */
interface ReferenceData {
  readonly inputName: string;
  readonly inputs: number[][];
  readonly expectedProbabilities: number[][];
}
const reference = (model: Model) => JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8')) as ReferenceData;
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
    const shipped = existsSync(shippedPath) ? (JSON.parse(readFileSync(shippedPath, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(join(dir, 'config.json'), JSON.stringify(batching ? shipped : { ...shipped, maxBatchSize: 1 }));
  }
  return root;
}

/** A load cell's result, plus the server's own mean batch size during it (our server only). */
type Cell = LoadResult & { readonly meanBatchRows?: number };

async function loadCells(url: (model: Model) => string, models: readonly Model[], serverPid: number | undefined, metricsBase?: string): Promise<Map<string, Cell>> {
  const cells = new Map<string, Cell>();
  for (const model of models) {
    for (const concurrency of CONCURRENCY) {
      const before = metricsBase === undefined ? undefined : await batchTotals(metricsBase, model);
      const result = await runLoad({ url: url(model), body: requestBody(model), concurrency, warmupMs: WARMUP_MS, measureMs: MEASURE_MS, serverPid });
      const after = metricsBase === undefined ? undefined : await batchTotals(metricsBase, model);
      cells.set(`${model}@${concurrency}`, { ...result, meanBatchRows: before && after ? meanBatchRows(before, after) : undefined });
    }
  }
  return cells;
}

/** The server's session options (idle threads do not spin), to price a row in CPU time as the server runs it. */
const SERVER_SESSION_OPTIONS = { executionMode: 'sequential' as const, extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } };

/** Server set-ups measured: shipped configs, batching off, and the heavy model with one onnxruntime thread (leaving a core to HTTP). */
type Variant = 'on' | 'off' | 'on, 1 thread';
const VARIANTS: readonly { name: Variant; batching: boolean; threads?: number; models: readonly Model[] }[] = [
  { name: 'on', batching: true, models: MODELS },
  { name: 'off', batching: false, models: MODELS },
  ...(THREADS > 1 ? [{ name: 'on, 1 thread' as const, batching: true, threads: 1, models: ['heavy-mlp' as const] }] : []),
];

async function main(): Promise<void> {
  console.log(`bench:serving — ${THREADS} onnxruntime intra-op threads, ${MEASURE_MS} ms per cell after ${WARMUP_MS} ms warm-up\n`);

  const raw = new Map<Model, RawPoint[]>();
  for (const model of MODELS) {
    const ref = reference(model);
    raw.set(model, await measureRaw(join(ROOT, 'serving/models', model, '1', 'model.onnx'), ref.inputName, ref.inputs[0], BATCH_SIZES, THREADS, 600));
  }
  const heavy = reference('heavy-mlp');
  const heavyAsServed = new Map<number, RawPoint>();
  for (const threads of new Set([THREADS, 1])) {
    const [point] = await measureRaw(join(ROOT, 'serving/models/heavy-mlp/1/model.onnx'), heavy.inputName, heavy.inputs[0], [64], threads, 1000, SERVER_SESSION_OPTIONS);
    heavyAsServed.set(threads, point);
  }

  // Encoded like the server's own answer, so the floor answers exactly as many bytes.
  const floorAnswer = encodeInferResponse({
    modelName: 'digits-mlp',
    modelVersion: '1',
    outputs: new Map([['probabilities', { datatype: 'FP32', shape: [1, 10], data: Float32Array.from(reference('digits-mlp').expectedProbabilities[0]) }]]),
  });
  const floorProcess = await startProcess('bench/serving/floor-server.ts', [String(FLOOR_PORT)], { FLOOR_ANSWER: floorAnswer }, `http://127.0.0.1:${FLOOR_PORT}/`);
  const floor = await loadCells(() => `http://127.0.0.1:${FLOOR_PORT}/`, ['digits-mlp'], floorProcess.pid);
  await stopProcess(floorProcess);

  const served = new Map<Variant, Map<string, Cell>>();
  for (const variant of VARIANTS) {
    const repo = repository(variant.batching);
    const env = { LOG_LEVEL: 'WARN', MODEL_POLL_INTERVAL_SECONDS: '0', ...(variant.threads === undefined ? {} : { ORT_INTRA_OP_THREADS: String(variant.threads) }) };
    const server = await startProcess('serving/src/main.ts', ['--model-repository', repo, '--port', String(SERVER_PORT)], env, `http://127.0.0.1:${SERVER_PORT}/v2/health/ready`);
    try {
      const base = `http://127.0.0.1:${SERVER_PORT}`;
      served.set(variant.name, await loadCells((model) => `${base}/v2/models/${model}/infer`, variant.models, server.pid, base));
    } finally {
      await stopProcess(server);
      rmSync(repo, { recursive: true, force: true });
    }
  }
  report(raw, heavyAsServed, floor, served);

  const captureRepo = repository(true);
  try {
    const capture = await measureCaptureOverhead({
      port: SERVER_PORT,
      repository: captureRepo,
      body: requestBody('digits-mlp'),
      model: 'digits-mlp',
      load: (url, body, serverPid) => runLoad({ url, body, concurrency: 64, warmupMs: WARMUP_MS, measureMs: MEASURE_MS, serverPid }),
    });
    console.log(`\n${renderCaptureOverhead(capture)}`);
  } finally {
    rmSync(captureRepo, { recursive: true, force: true });
  }
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const pad = (s: string, n: number) => s.padStart(n);

function report(raw: Map<Model, RawPoint[]>, heavyAsServed: Map<number, RawPoint>, floor: Map<string, Cell>, served: Map<Variant, Map<string, Cell>>): void {
  console.log(`1. Raw limit: in-process session.run, ${THREADS} threads, nothing else running (rows/s)`);
  console.log(`${'model'.padEnd(12)}${pad('batch 1', 10)}${pad('ms/run', 9)}${pad('best batch', 12)}${pad('rows/s', 10)}${pad('best<=64', 10)}${pad('rows/s', 10)}${pad('CPU us/row', 12)}`);
  const best = (model: Model, max = Infinity) => raw.get(model)!.filter((p) => p.batchSize <= max).reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  for (const model of MODELS) {
    const one = raw.get(model)![0];
    const top = best(model);
    const reachable = best(model, 64);
    console.log(`${model.padEnd(12)}${pad(f(one.rowsPerSecond), 10)}${pad(f(one.msPerRun, 3), 9)}${pad(String(top.batchSize), 12)}${pad(f(top.rowsPerSecond), 10)}${pad(String(reachable.batchSize), 10)}${pad(f(reachable.rowsPerSecond), 10)}${pad(f(reachable.cpuMicrosPerRow, 1), 12)}`);
  }
  for (const [threads, point] of heavyAsServed) {
    console.log(`heavy-mlp batch 64 with the server's session options, ${threads} thread(s): ${f(point.rowsPerSecond)} rows/s, ${f(point.cpuMicrosPerRow, 1)} CPU us/row`);
  }

  console.log('\n2./3. HTTP floor and our server (one row per request): requests/s, p50 ms, p99 ms; mean rows per batch from the server\'s /metrics');
  console.log(`${'target'.padEnd(30)}${CONCURRENCY.map((c) => pad(`c=${c} rps`, 11) + pad('p50', 8) + pad('p99', 8) + pad('batch', 7)).join('')}`);
  const row = (label: string, cells: Map<string, Cell>, model: Model) => {
    const parts = CONCURRENCY.map((c) => {
      const r = cells.get(`${model}@${c}`)!;
      return pad(f(r.requestsPerSecond), 11) + pad(f(r.p50Ms, 2), 8) + pad(f(r.p99Ms, 2), 8) + pad(r.meanBatchRows === undefined ? '' : f(r.meanBatchRows, 1), 7) + (r.errors > 0 ? ` (${r.errors} errors)` : '');
    });
    console.log(`${label.padEnd(30)}${parts.join('')}`);
  };
  row('HTTP floor (constant answer)', floor, 'digits-mlp');
  for (const model of MODELS) {
    for (const variant of VARIANTS.filter((v) => v.models.includes(model))) row(`${model} batching ${variant.name}`, served.get(variant.name)!, model);
  }

  console.log('\n   CPU time per answered request at c=64 (us): load client, server event loop, server other threads (workers, onnxruntime)');
  const cpuRow = (label: string, cell: Cell) =>
    console.log(`${label.padEnd(30)}${pad(f(cell.clientCpuMicros), 8)}${pad(f(cell.serverMainThreadCpuMicros), 8)}${pad(f(cell.serverCpuMicros - cell.serverMainThreadCpuMicros), 8)}`);
  cpuRow('HTTP floor (constant answer)', floor.get('digits-mlp@64')!);
  for (const model of MODELS) {
    for (const variant of VARIANTS.filter((v) => v.models.includes(model) && v.batching)) cpuRow(`${model} batching ${variant.name}`, served.get(variant.name)!.get(`${model}@64`)!);
  }

  const on = served.get('on')!;
  const off = served.get('off')!;
  const heavyCell = on.get('heavy-mlp@64')!;
  const heavy64 = heavyCell.requestsPerSecond;
  const small64 = on.get('digits-mlp@64')!.requestsPerSecond;
  const floor64 = floor.get('digits-mlp@64')!.requestsPerSecond;
  const c1Budget = raw.get('digits-mlp')![0].msPerRun + floor.get('digits-mlp@1')!.p50Ms;
  const c1 = on.get('digits-mlp@1')!.p50Ms;
  const verdict = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');
  const reachable = best('heavy-mlp', 64);
  console.log('\n4. Ratios');
  console.log(`heavy-mlp server c=64 / raw best batch (${best('heavy-mlp').batchSize})        ${f(heavy64 / best('heavy-mlp').rowsPerSecond, 2)}   goal >= 0.85: ${verdict(heavy64 / best('heavy-mlp').rowsPerSecond >= 0.85)}`);
  console.log(`heavy-mlp server c=64 / raw best batch <= 64 (${reachable.batchSize})   ${f(heavy64 / reachable.rowsPerSecond, 2)}   (64 clients cannot fill a bigger batch)`);
  // The raw limit has every core to itself; served, each request also costs the load client's and the
  // server's HTTP/protocol CPU on the same cores. Pricing a request at (client + event loop) CPU plus the
  // raw CPU per row gives the most this machine can serve, whatever the server's design.
  const cores = Math.min(availableParallelism(), effectiveCpuCount());
  // The cheapest way this machine computes a row (fewer threads waste less CPU in synchronisation).
  const asServed = [...heavyAsServed.values()].reduce((a, b) => (b.cpuMicrosPerRow < a.cpuMicrosPerRow ? b : a));
  const perRequestCpu = heavyCell.clientCpuMicros + heavyCell.serverMainThreadCpuMicros + asServed.cpuMicrosPerRow;
  const ceiling = (cores * 1e6) / perRequestCpu;
  console.log(`CPU-bound ceiling for heavy-mlp c=64 on ${cores} cores: ${f(cores * 1e6)} us / (client ${f(heavyCell.clientCpuMicros)} + event loop ${f(heavyCell.serverMainThreadCpuMicros)} + compute ${f(asServed.cpuMicrosPerRow)} us) = ${f(ceiling)} rps = ${f(ceiling / reachable.rowsPerSecond, 2)} of raw best <= 64`);
  console.log(`heavy-mlp server c=64 / that ceiling                   ${f(heavy64 / ceiling, 2)}`);
  const floorCell = floor.get('digits-mlp@64')!;
  const floorCeiling = (cores * 1e6) / (floorCell.clientCpuMicros + floorCell.serverCpuMicros + asServed.cpuMicrosPerRow);
  console.log(`even a zero-cost server on node:http (floor's client + server CPU + compute): ${f(floorCeiling)} rps = ${f(floorCeiling / reachable.rowsPerSecond, 2)} of raw best <= 64; the bare floor alone peaks at ${f(floor64)} rps = ${f(floor64 / reachable.rowsPerSecond, 2)}`);
  const oneThread = served.get('on, 1 thread')?.get('heavy-mlp@64');
  if (oneThread !== undefined) console.log(`heavy-mlp 1 onnxruntime thread c=64 / raw best batch <= 64   ${f(oneThread.requestsPerSecond / reachable.rowsPerSecond, 2)}   (vs ${THREADS} threads: ${f(heavy64 / reachable.rowsPerSecond, 2)})`);
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
