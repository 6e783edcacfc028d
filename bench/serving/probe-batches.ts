/** Diagnostic: serves the reference models, drives one model at a given concurrency, prints batch and timing metrics. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { get } from 'node:http';
import { runLoad } from './load-client';
import { startProcess, stopProcess } from './processes';

const ROOT = resolve(__dirname, '../..');
const model = process.argv[2] ?? 'heavy-mlp';
const concurrency = Number(process.argv[3] ?? 64);
const port = 18190;

const fetchText = (url: string) => new Promise<string>((ok) => get(url, (res) => { let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => ok(t)); }));

(async () => {
  const ref = JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8'));
  const body = JSON.stringify({ inputs: [{ name: ref.inputName, shape: [1, 64], datatype: 'FP32', data: ref.inputs[0] }] });
  const server = await startProcess('serving/src/main.ts', ['--model-repository', process.env.PROBE_REPO ?? join(ROOT, 'serving/models'), '--port', String(port)], { LOG_LEVEL: 'WARN', MODEL_POLL_INTERVAL_SECONDS: '0', ...(process.env.PROBE_THREADS ? { ORT_INTRA_OP_THREADS: process.env.PROBE_THREADS } : {}) }, `http://127.0.0.1:${port}/v2/health/ready`);
  try {
    const result = await runLoad({ url: `http://127.0.0.1:${port}/v2/models/${model}/infer`, body, concurrency, warmupMs: 500, measureMs: 3000 });
    console.log(result);
    const metrics = await fetchText(`http://127.0.0.1:${port}/metrics`);
    const pick = (name: string) => Number(new RegExp(`^${name}\\{model="${model}",version="1"\\} (\\S+)`, 'm').exec(metrics)?.[1]);
    const batches = pick('serving_batch_size_count');
    console.log(`batches ${batches}, mean rows ${(pick('serving_batch_size_sum') / batches).toFixed(1)}, mean compute ms ${((pick('serving_compute_duration_seconds_sum') / batches) * 1000).toFixed(2)}, mean queue ms ${((pick('serving_queue_duration_seconds_sum') / pick('serving_queue_duration_seconds_count')) * 1000).toFixed(2)}`);
  } finally {
    await stopProcess(server);
  }
})();
