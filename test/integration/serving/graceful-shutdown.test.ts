// SIGTERM under load, against the real entry point in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { inferBody, send } from './support/http-client';
import { TempRepository } from './support/test-server';

const ROOT = join(__dirname, '../../..');
const PORT = 18000 + (process.pid % 1000);
const url = `http://127.0.0.1:${PORT}`;
const repo = new TempRepository({
  'slow/1/model.onnx': 'sleepy.onnx',
  'slow/1/config.json': { maxBatchSize: 1 },
});
let child: ChildProcess;
let output = '';

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  repo.remove();
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out; server output:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('on SIGTERM: readiness goes false, new requests get 503, in-flight ones finish, the process exits 0', async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'serving/src/main.ts', '--model-repository', repo.root, '--port', String(PORT)], {
    cwd: ROOT,
    env: { ...process.env, ORT_INTRA_OP_THREADS: '1', DRAIN_TIMEOUT_SECONDS: '20' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  await until(async () => ((await send(`${url}/v2/health/ready`)).status === 200 ? true : undefined));
  const body = inferBody('x', [80, 256], new Array(80 * 256).fill(1));
  const inflight = Array.from({ length: 5 }, () => send(`${url}/v2/models/slow/infer`, { body }));
  await until(async () => ((await send(`${url}/metrics`)).body.includes('serving_inflight_requests{model="slow"} 5') ? true : undefined));

  child.kill('SIGTERM');
  await until(async () => ((await send(`${url}/v2/health/ready`)).status === 503 ? true : undefined), 2_000);
  const late = await send(`${url}/v2/models/slow/infer`, { body: inferBody('x', [1, 256], new Array(256).fill(1)) });
  expect([late.status, late.headers['retry-after'], late.json()]).toEqual([503, '1', { error: 'server is shutting down' }]);

  const answers = await Promise.all(inflight);
  expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
  expect(await exited).toBe(0);
  expect(output).toMatch(/"message":"stopped".*"allInflightFinished":true/);
});
