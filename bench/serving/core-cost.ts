/**
 * Diagnostic: CPU time per request of the serving core alone (decode, batch, compute, encode, metrics — no HTTP), with
 * `concurrency` requests in flight. `taskset -c 1 npx tsx bench/serving/core-cost.ts [model] [requests] [concurrency]`;
 * add `node --cpu-prof` (through NODE_OPTIONS) to see where the core's time goes. CORE_COST_CAPTURE=<folder> turns
 * inference capture on at 100% (gzip JSON Lines to that folder), to price capture per request.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServingApp } from '../../serving/src/app';
import { createLogger } from '../../serving/src/logger';
import { loadSettings } from '../../serving/src/settings';

const ROOT = resolve(__dirname, '../..');
/** Prefix of the last line: the figures as JSON, for bench:serving. */
export const CORE_COST_RESULT = 'CORE_COST_RESULT';
const model = process.argv[2] ?? 'digits-mlp';
const requests = Number(process.argv[3] ?? 20_000);
const concurrency = Number(process.argv[4] ?? 64);

async function main(): Promise<void> {
  const ref = JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8')) as { inputName: string; inputs: number[][] };
  const body = Buffer.from(JSON.stringify({ inputs: [{ name: ref.inputName, shape: [1, ref.inputs[0].length], datatype: 'FP32', data: ref.inputs[0] }] }));
  const settings = loadSettings({
    MODEL_REPOSITORY: join(ROOT, 'serving/models'),
    ORT_INTRA_OP_THREADS: '1',
    LOG_LEVEL: 'WARN',
    SERVED_MODELS: model,
    MODEL_POLL_INTERVAL_SECONDS: '0',
  });
  const captureDir = process.env.CORE_COST_CAPTURE;
  const app = createServingApp(settings, createLogger('WARN'), {
    env: captureDir === undefined ? {} : { CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_DESTINATION: captureDir },
  });
  await app.repository.start();
  const request = { method: 'POST', path: `/v2/models/${model}/infer`, headers: {}, body, requestId: 'core-cost' };
  const drive = async (count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left-- > 0) if ((await app.core.handle(request)).status !== 200) throw new Error('inference failed');
      }),
    );
  };
  await drive(Math.min(5000, requests));
  const cpu = process.cpuUsage();
  const start = performance.now();
  await drive(requests);
  const used = process.cpuUsage(cpu);
  const figures = { cpuMicros: (used.user + used.system) / requests, wallMicros: ((performance.now() - start) * 1000) / requests };
  console.log(
    `${model}: ${figures.cpuMicros.toFixed(1)} CPU us/request, ${figures.wallMicros.toFixed(1)} wall us/request (${requests} requests, ${concurrency} in flight, capture ${captureDir === undefined ? 'off' : 'at 100%'})`,
  );
  console.log(`${CORE_COST_RESULT} ${JSON.stringify(figures)}`);
  await app.capture?.close();
  await app.repository.close();
}

if (require.main === module) void main();
