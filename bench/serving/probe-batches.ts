/**
 * Diagnostic: serves the reference models pinned like bench:serving, drives one model with wrk at a given number of
 * connections, prints throughput, server CPU per request and the batch/compute/queue figures from the server's metrics.
 * `npx tsx bench/serving/probe-batches.ts <model> <connections>`; PROBE_REPO=<dir>, PROBE_THREADS=n, PROBE_SECONDS=s;
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pinProcess, splitCpus } from './cpus';
import { startProcess, stopProcess } from './processes';
import { batchTotals, fetchText, meanBatchRows } from './server-metrics';
import { ensureWrk, runWrk } from './wrk';

const ROOT = resolve(__dirname, '../..');
const model = process.argv[2] ?? 'heavy-mlp';
const connections = Number(process.argv[3] ?? 64);
const port = 18190;
const base = `http://127.0.0.1:${port}`;

void (async () => {
  ensureWrk();
  const cpus = splitCpus();
  pinProcess(process.pid, [cpus.load]);
  const workDir = mkdtempSync(join(tmpdir(), 'probe-batches-'));
  const ref = JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8')) as { inputName: string; inputs: number[][] };
  const body = JSON.stringify({ inputs: [{ name: ref.inputName, shape: [1, ref.inputs[0].length], datatype: 'FP32', data: ref.inputs[0] }] });
  const env = { LOG_LEVEL: 'WARN', MODEL_POLL_INTERVAL_SECONDS: '0', ORT_INTRA_OP_THREADS: process.env.PROBE_THREADS ?? String(cpus.server.length) };
  const server = await startProcess(
    'serving/src/main.ts',
    ['--model-repository', process.env.PROBE_REPO ?? join(ROOT, 'serving/models'), '--port', String(port)],
    env,
    `${base}/v2/health/ready`,
    cpus.server,
  );
  try {
    const before = await batchTotals(base, model);
    const result = await runWrk({
      url: `${base}/v2/models/${model}/infer`,
      request: { body, headers: { 'Content-Type': 'application/json' } },
      connections,
      warmupSeconds: 1,
      seconds: Number(process.env.PROBE_SECONDS ?? 5),
      cpus: [cpus.load],
      serverPid: server.pid!,
      workDir,
    });
    const after = await batchTotals(base, model);
    console.log(result);
    const metrics = await fetchText(`${base}/metrics`);
    const pick = (name: string) => Number(new RegExp(`^${name}\\{model="${model}",version="1"\\} (\\S+)`, 'm').exec(metrics)?.[1]);
    const buckets = [...metrics.matchAll(new RegExp(`^serving_batch_size_bucket\\{le="([^"]+)",model="${model}",version="1"\\} (\\S+)`, 'gm'))].map(
      (m) => `<=${m[1]}: ${m[2]}`,
    );
    console.log(
      `batches ${after.batches - before.batches}, mean rows ${meanBatchRows(before, after).toFixed(1)}, mean compute ms ${((pick('serving_compute_duration_seconds_sum') / pick('serving_compute_duration_seconds_count')) * 1000).toFixed(2)}, mean queue ms ${((pick('serving_queue_duration_seconds_sum') / pick('serving_queue_duration_seconds_count')) * 1000).toFixed(2)}`,
    );
    console.log(`batch size histogram (cumulative): ${buckets.join(', ')}`);
  } finally {
    await stopProcess(server);
    rmSync(workDir, { recursive: true, force: true });
  }
})();
