/** Diagnostic: serves the reference models, drives one model at a given concurrency, prints batch and timing metrics. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runLoad } from './load-client';
import { startProcess, stopProcess } from './processes';
import { batchTotals, fetchText, meanBatchRows } from './server-metrics';

const ROOT = resolve(__dirname, '../..');
const model = process.argv[2] ?? 'heavy-mlp';
const concurrency = Number(process.argv[3] ?? 64);
const port = 18190;
const base = `http://127.0.0.1:${port}`;

void (async () => {
  const ref = JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8')) as { inputName: string; inputs: number[][] };
  const body = JSON.stringify({ inputs: [{ name: ref.inputName, shape: [1, 64], datatype: 'FP32', data: ref.inputs[0] }] });
  const server = await startProcess('serving/src/main.ts', ['--model-repository', process.env.PROBE_REPO ?? join(ROOT, 'serving/models'), '--port', String(port)], { LOG_LEVEL: 'WARN', MODEL_POLL_INTERVAL_SECONDS: '0', ...(process.env.PROBE_THREADS ? { ORT_INTRA_OP_THREADS: process.env.PROBE_THREADS } : {}) }, `${base}/v2/health/ready`);
  try {
    const before = await batchTotals(base, model);
    const result = await runLoad({ url: `${base}/v2/models/${model}/infer`, body, concurrency, warmupMs: 500, measureMs: 3000, serverPid: server.pid });
    const after = await batchTotals(base, model);
    console.log(result);
    const metrics = await fetchText(`${base}/metrics`);
    const pick = (name: string) => Number(new RegExp(`^${name}\\{model="${model}",version="1"\\} (\\S+)`, 'm').exec(metrics)?.[1]);
    const buckets = [...metrics.matchAll(new RegExp(`^serving_batch_size_bucket\\{le="([^"]+)",model="${model}",version="1"\\} (\\S+)`, 'gm'))].map((m) => `<=${m[1]}: ${m[2]}`);
    console.log(`batches ${after.batches - before.batches}, mean rows ${meanBatchRows(before, after).toFixed(1)}, mean compute ms ${((pick('serving_compute_duration_seconds_sum') / pick('serving_compute_duration_seconds_count')) * 1000).toFixed(2)}, mean queue ms ${((pick('serving_queue_duration_seconds_sum') / pick('serving_queue_duration_seconds_count')) * 1000).toFixed(2)}`);
    console.log(`batch size histogram (cumulative): ${buckets.join(', ')}`);
  } finally {
    await stopProcess(server);
  }
})();
