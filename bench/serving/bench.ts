/**
 * npm run bench:serving — measures the server, not the load client. wrk (native, one thread) runs pinned to one CPU,
 * each server under test pinned to the others (`taskset`), and every figure comes from the same run:
 * the floor (a bare node:http server answering the same bytes), our server with batching on and off, the raw
 * in-process onnxruntime limit on the server's CPUs at the server's thread count, the serving ceiling
 * 1 / (floor CPU per request + raw CPU per row at the best batch ≤ 64), inference capture at 100% (to s3rver) against
 * off, and capture's added p99 on the Lambda handler. Two parts show where the small model's budgets go: the serving
 * core alone in process (no HTTP) and a bare node:net socket answering the same bytes (no HTTP layer). BENCH_SECONDS (default 5) sets each measured run, after 1 s of
 * warm-up (3 s for the capture cells).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeInferResponse } from '../../serving/src/protocol/infer-response';
import { CAPTURE_WARMUP_SECONDS, measureCaptureOverhead, renderCaptureOverhead } from './capture-overhead';
import { CORE_COST_RESULT } from './core-cost';
import { pinnedCommand, pinProcess, splitCpus, type CpuSplit } from './cpus';
import { startProcess, stopProcess } from './processes';
import type { RawPoint } from './raw-limit';
import { batchTotals, meanBatchRows } from './server-metrics';
import { ensureWrk, runWrk, type WrkRequest, type WrkResult } from './wrk';

const ROOT = resolve(__dirname, '../..');
const MODELS = ['digits-mlp', 'heavy-mlp'] as const;
type Model = (typeof MODELS)[number];
const CONNECTIONS = [1, 64] as const;
const RAW_BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
const SERVER_PORT = 18180;
const FLOOR_PORT = 18181;
const SOCKET_FLOOR_PORT = 18182;
const CAPTURE_ON_PORT = 18183;
/** Requests the in-process core measurement runs per figure (after its own warm-up). */
const CORE_ALONE_REQUESTS = 100_000;

/** A model's reference inputs and outputs (serving/reference-data, written by `npm run models:generate`). */
interface ReferenceData {
  readonly inputName: string;
  readonly inputs: number[][];
  readonly expectedProbabilities: number[][];
}
const reference = (model: Model) => JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8')) as ReferenceData;
const inferBody = (ref: ReferenceData, row: readonly number[]) =>
  JSON.stringify({ inputs: [{ name: ref.inputName, shape: [1, row.length], datatype: 'FP32', data: row }] });
/** One row per request; the first reference row every time, or each reference row in turn (`varied`). */
const inferRequest = (model: Model, varied = false): WrkRequest => {
  const ref = reference(model);
  const bodies = varied ? ref.inputs.map((row) => inferBody(ref, row)) : undefined;
  return { body: inferBody(ref, ref.inputs[0]), bodies, headers: { 'Content-Type': 'application/json' } };
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

type Cell = WrkResult & { readonly meanBatchRows?: number };

interface Context {
  readonly cpus: CpuSplit;
  readonly threads: number;
  readonly workDir: string;
}

/** The raw limit, measured in a child process pinned to the server's CPUs with the server's session options. */
function measureRawPinned(context: Context, model: Model): RawPoint[] {
  const ref = reference(model);
  const config = {
    modelPath: join(ROOT, 'serving/models', model, '1', 'model.onnx'),
    inputName: ref.inputName,
    row: ref.inputs[0],
    batchSizes: RAW_BATCH_SIZES,
    threads: context.threads,
    budgetMs: 700,
  };
  const [command, args] = pinnedCommand(context.cpus.server, process.execPath, ['--import', 'tsx', 'bench/serving/raw-limit-child.ts', JSON.stringify(config)]);
  return JSON.parse(execFileSync(command, args, { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!) as RawPoint[];
}

interface CoreAlone {
  readonly cpuMicros: number;
  readonly wallMicros: number;
}

/** The serving core alone (no HTTP: decode, batch, onnxruntime, encode, metrics), in a child process pinned like the servers. */
function measureCoreAlone(context: Context, inFlight: number): CoreAlone {
  const args = ['--import', 'tsx', 'bench/serving/core-cost.ts', 'digits-mlp', String(CORE_ALONE_REQUESTS), String(inFlight)];
  const [command, commandArgs] = pinnedCommand(context.cpus.server, process.execPath, args);
  const output = execFileSync(command, commandArgs, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = output.split('\n').find((l) => l.startsWith(`${CORE_COST_RESULT} `));
  if (line === undefined) throw new Error(`core-cost.ts printed no ${CORE_COST_RESULT} line:\n${output}`);
  return JSON.parse(line.slice(CORE_COST_RESULT.length + 1)) as CoreAlone;
}

/** A floor server (bare node:http, or the bare socket) pinned like the servers, measured at each connection count. */
async function floorCells(context: Context, entry: string, port: number, answer: string): Promise<Map<number, Cell>> {
  const floorProcess = await startProcess(entry, [String(port)], { FLOOR_ANSWER: answer }, `http://127.0.0.1:${port}/`, context.cpus.server);
  try {
    return await loadCells(context, `http://127.0.0.1:${port}/`, inferRequest('digits-mlp'), floorProcess.pid!);
  } finally {
    await stopProcess(floorProcess);
  }
}

async function loadCells(
  context: Context,
  url: string,
  request: WrkRequest,
  serverPid: number,
  batchesOf?: { base: string; model: Model },
): Promise<Map<number, Cell>> {
  const cells = new Map<number, Cell>();
  for (const connections of CONNECTIONS) {
    const before = batchesOf && (await batchTotals(batchesOf.base, batchesOf.model));
    const result = await runWrk({
      url,
      request,
      connections,
      warmupSeconds: WARMUP_SECONDS,
      seconds: SECONDS,
      cpus: [context.cpus.load],
      serverPid,
      workDir: context.workDir,
    });
    const after = batchesOf && (await batchTotals(batchesOf.base, batchesOf.model));
    cells.set(connections, { ...result, meanBatchRows: before && after ? meanBatchRows(before, after) : undefined });
  }
  return cells;
}

/** The servers' environment: quiet logs, one scan, onnxruntime threads = the CPUs the server is pinned to. */
const serverEnv = (context: Context): Record<string, string> => ({
  LOG_LEVEL: 'WARN',
  MODEL_POLL_INTERVAL_SECONDS: '0',
  ORT_INTRA_OP_THREADS: String(context.threads),
});

async function main(): Promise<void> {
  ensureWrk();
  const cpus = splitCpus();
  pinProcess(process.pid, [cpus.load]); // this process (and s3rver inside it) stays off the server's CPUs
  const context: Context = { cpus, threads: cpus.server.length, workDir: mkdtempSync(join(tmpdir(), 'bench-serving-wrk-')) };
  const loadAtStart = loadavg()[0];
  console.log(
    `bench:serving — wrk (1 thread) on CPU ${cpus.load}; servers and the raw limit on CPU ${cpus.server.join(',')} with ${context.threads} onnxruntime thread(s); ` +
      `${SECONDS} s per cell after ${WARMUP_SECONDS} s warm-up; load average ${loadAtStart.toFixed(2)} at start (the machine is shared: compare within one run)\n`,
  );
  try {
    const raw = new Map<Model, RawPoint[]>(MODELS.map((model) => [model, measureRawPinned(context, model)]));

    // The floor answers exactly the bytes our server answers for the digits request.
    const floorAnswer = encodeInferResponse({
      modelName: 'digits-mlp',
      modelVersion: '1',
      outputs: new Map([['probabilities', { datatype: 'FP32', shape: [1, 10], data: Float32Array.from(reference('digits-mlp').expectedProbabilities[0]) }]]),
    });
    const floor = await floorCells(context, 'bench/serving/floor-server.ts', FLOOR_PORT, floorAnswer);
    const socketFloor = await floorCells(context, 'bench/serving/socket-floor-server.ts', SOCKET_FLOOR_PORT, floorAnswer);
    const coreAlone = new Map(CONNECTIONS.map((inFlight) => [inFlight, measureCoreAlone(context, inFlight)]));

    const served = new Map<string, Map<number, Cell>>();
    for (const batching of [true, false]) {
      const repo = repository(batching);
      const base = `http://127.0.0.1:${SERVER_PORT}`;
      const server = await startProcess(
        'serving/src/main.ts',
        ['--model-repository', repo, '--port', String(SERVER_PORT)],
        serverEnv(context),
        `${base}/v2/health/ready`,
        cpus.server,
      );
      try {
        for (const model of MODELS) {
          served.set(
            `${model} ${batching ? 'on' : 'off'}`,
            await loadCells(context, `${base}/v2/models/${model}/infer`, inferRequest(model), server.pid!, { base, model }),
          );
        }
      } finally {
        await stopProcess(server);
        rmSync(repo, { recursive: true, force: true });
      }
    }
    report(context, raw, floor, served);
    reportBudget(floor, socketFloor, coreAlone, raw);

    const captureRepo = repository(true);
    try {
      const capture = await measureCaptureOverhead({
        ports: { off: SERVER_PORT, on: CAPTURE_ON_PORT },
        repository: captureRepo,
        model: 'digits-mlp',
        request: inferRequest('digits-mlp', true),
        serverEnv: serverEnv(context),
        serverCpus: cpus.server,
        load: (url, request, serverPid) =>
          runWrk({
            url,
            request,
            connections: 64,
            warmupSeconds: CAPTURE_WARMUP_SECONDS,
            seconds: SECONDS,
            cpus: [cpus.load],
            serverPid,
            workDir: context.workDir,
          }),
      });
      console.log(`\n${renderCaptureOverhead(capture)}`);
    } finally {
      rmSync(captureRepo, { recursive: true, force: true });
    }
    console.log(`\nload average ${loadavg()[0].toFixed(2)} at the end`);
  } finally {
    rmSync(context.workDir, { recursive: true, force: true });
  }
}

const f = (n: number | undefined, digits = 0) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '-');
const verdict = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');

function report(context: Context, raw: Map<Model, RawPoint[]>, floor: Map<number, Cell>, served: Map<string, Map<number, Cell>>): void {
  console.log(`1. Raw limit: in-process session.run on CPU ${context.cpus.server.join(',')}, ${context.threads} thread(s), the server's session options`);
  console.log(`${'model'.padEnd(12)}${'batch 1 ms'.padStart(12)}${'best batch<=64'.padStart(16)}${'rows/s'.padStart(10)}${'CPU us/row'.padStart(12)}`);
  const bestOf = (model: Model) => raw.get(model)!.reduce((a, b) => (b.cpuMicrosPerRow < a.cpuMicrosPerRow ? b : a));
  for (const model of MODELS) {
    const best = bestOf(model);
    console.log(
      `${model.padEnd(12)}${f(raw.get(model)![0].msPerRun, 3).padStart(12)}${String(best.batchSize).padStart(16)}${f(best.rowsPerSecond).padStart(10)}${f(best.cpuMicrosPerRow, 1).padStart(12)}`,
    );
  }

  console.log('\n2. Over HTTP, one row per request (wrk): requests/s, p50 and p99 ms, mean rows per session.run (server /metrics), server CPU us per request');
  console.log(
    `${'target'.padEnd(34)}${CONNECTIONS.map((c) => `${`c=${c} req/s`.padStart(13)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'batch'.padStart(7)}${'CPU us'.padStart(8)}`).join('')}`,
  );
  const row = (label: string, cells: Map<number, Cell>) => {
    const parts = CONNECTIONS.map((c) => {
      const cell = cells.get(c)!;
      return `${f(cell.requestsPerSecond).padStart(13)}${f(cell.p50Ms, 3).padStart(8)}${f(cell.p99Ms, 2).padStart(8)}${f(cell.meanBatchRows, 1).padStart(7)}${f(cell.serverCpuMicros).padStart(8)}${cell.errors > 0 ? ` (${cell.errors} errors)` : ''}`;
    });
    console.log(`${label.padEnd(34)}${parts.join('')}`);
  };
  row('floor: bare node:http, same bytes', floor);
  for (const [label, cells] of served) row(`${label.replace(/ (on|off)$/, ' batching $1')}`, cells);

  const floor64 = floor.get(64)!;
  const small64 = served.get('digits-mlp on')!.get(64)!;
  const heavy64 = served.get('heavy-mlp on')!.get(64)!;
  const heavyBest = bestOf('heavy-mlp');
  const ceiling = (context.threads * 1e6) / (floor64.serverCpuMicros + heavyBest.cpuMicrosPerRow);
  const smallRatio = small64.requestsPerSecond / floor64.requestsPerSecond;
  const heavyRatio = heavy64.requestsPerSecond / ceiling;
  const c1Budget = floor.get(1)!.p50Ms + raw.get('digits-mlp')![0].msPerRun + 0.05;
  const c1 = served.get('digits-mlp on')!.get(1)!.p50Ms;

  console.log('\n3. Goals');
  console.log(
    `serving ceiling, heavy-mlp: ${context.threads} CPU × 1e6 / (floor ${f(floor64.serverCpuMicros, 1)} CPU us/request + raw ${f(heavyBest.cpuMicrosPerRow, 1)} CPU us/row at batch ${heavyBest.batchSize}) = ${f(ceiling)} req/s`,
  );
  const line = (what: string, measured: string, ratio: string, goal: string, ok: boolean) =>
    console.log(`${what.padEnd(46)}${measured.padStart(26)}${ratio.padStart(10)}   ${goal.padEnd(10)}${verdict(ok)}`);
  line('digits-mlp c=64 / floor c=64', `${f(small64.requestsPerSecond)} / ${f(floor64.requestsPerSecond)}`, f(smallRatio, 2), '>= 0.80', smallRatio >= 0.8);
  line('heavy-mlp c=64 / serving ceiling', `${f(heavy64.requestsPerSecond)} / ${f(ceiling)}`, f(heavyRatio, 2), '>= 0.85', heavyRatio >= 0.85);
  // CPU per request is steadier than requests/s when other jobs share the server's CPU: the ratio a dedicated CPU would give.
  console.log(
    `  same ratios from server CPU per request (steadier on a shared machine): digits-mlp floor ${f(floor64.serverCpuMicros, 1)} / ours ${f(small64.serverCpuMicros, 1)} us = ${f(floor64.serverCpuMicros / small64.serverCpuMicros, 2)}; ` +
      `heavy-mlp (floor + raw row) ${f(floor64.serverCpuMicros + heavyBest.cpuMicrosPerRow, 1)} / ours ${f(heavy64.serverCpuMicros, 1)} us = ${f((floor64.serverCpuMicros + heavyBest.cpuMicrosPerRow) / heavy64.serverCpuMicros, 2)}`,
  );
  line('digits-mlp c=1 p50 vs floor p50 + raw b1 + 50us', `${f(c1, 3)} vs ${f(c1Budget, 3)} ms`, `${f((c1 - c1Budget) * 1000)} us`, '<= 0', c1 <= c1Budget);
  for (const model of MODELS) {
    const ratios = CONNECTIONS.map(
      (c) => `c=${c}: ${f(served.get(`${model} on`)!.get(c)!.requestsPerSecond / served.get(`${model} off`)!.get(c)!.requestsPerSecond, 2)}`,
    );
    console.log(`${`${model} batching on / off (req/s)`.padEnd(46)}${ratios.join('  ').padStart(26)}`);
  }
}

/**
 * Where the small-model goals' budgets go, from parts measured in this run: the core alone in process (no HTTP) and
 * a bare socket answering the same bytes (no HTTP layer). If their sum already exceeds a budget, no HTTP layer can
 * meet that goal with this core.
 */
function reportBudget(floor: Map<number, Cell>, socketFloor: Map<number, Cell>, coreAlone: Map<number, CoreAlone>, raw: Map<Model, RawPoint[]>): void {
  const floor64 = floor.get(64)!.serverCpuMicros;
  const budget64 = floor64 / 0.8;
  const socket64 = socketFloor.get(64)!.serverCpuMicros;
  const core64 = coreAlone.get(64)!.cpuMicros;
  console.log("\nWhere the digits-mlp goals' budgets go (parts measured in this run):");
  console.log(
    `  c=64, 0.8 of the floor allows ${f(budget64, 1)} CPU us/request (floor ${f(floor64, 1)} / 0.8). ` +
      `Parts: the serving core alone, in process, no HTTP ${f(core64, 1)} us; a bare node:net socket answering the same bytes, no HTTP layer ${f(socket64, 1)} us ` +
      `(${f(socketFloor.get(64)!.requestsPerSecond)} req/s); sum ${f(core64 + socket64, 1)} us = ${f(budget64 / (core64 + socket64), 2)} of the budget's request rate.`,
  );
  const c1Budget = (floor.get(1)!.p50Ms + raw.get('digits-mlp')![0].msPerRun + 0.05) * 1000;
  console.log(
    `  c=1, p50 allowed ${f(c1Budget)} us. Parts: the core alone at 1 in flight ${f(coreAlone.get(1)!.wallMicros)} us wall per request; ` +
      `the bare socket's p50 ${f(socketFloor.get(1)!.p50Ms * 1000)} us (node:http floor's ${f(floor.get(1)!.p50Ms * 1000)} us).`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
