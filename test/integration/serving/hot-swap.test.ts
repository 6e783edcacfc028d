/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
import { inferBody, send } from './support/http-client';
import { startServer, TempRepository, type RunningServer } from './support/test-server';

const repo = new TempRepository({ 'scale/1/model.onnx': 'scale-v1.onnx' });
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(repo.root, { MODEL_POLL_INTERVAL_SECONDS: '0.05' });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

interface Answer {
  status: number;
  version?: string;
  factor?: number;
}

/** Clients that each send requests back to back until stopped, recording every answer in order. */
function continuousLoad(clients: number) {
  let running = true;
  const answers: Answer[][] = Array.from({ length: clients }, () => []);
  const loops = answers.map(async (log) => {
    while (running) {
      const res = await send(`${server.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [1, 2, 3, 4]) });
      if (res.status !== 200) {
        log.push({ status: res.status });
        continue;
      }
      const body = res.json();
      log.push({ status: 200, version: body.model_version, factor: body.outputs[0].data[0] });
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('hot model swap under continuous load', () => {
  it('swaps to a new version with zero failed requests, then keeps it when a newer version fails to load', async () => {
    const load = continuousLoad(8);
    const all = () => load.answers.flat();
    await waitFor(() => all().length > 50);

    repo.put('scale/2/model.onnx', 'scale-v2.onnx');
    await waitFor(() => load.answers.every((log) => log.at(-1)?.version === '2'));
    const afterSwap = all().length;

    repo.put('scale/3/model.onnx', 'broken.onnx');
    await waitFor(() => server.logger.lines.some((line) => line.level === 'error' && /version '3' failed to load/.test(line.message)));
    repo.put('scale/4/config.json', { maxBatchSize: 'lots' });
    repo.put('scale/4/model.onnx', 'scale-v1.onnx');
    await waitFor(() => server.logger.lines.some((line) => /version '4' failed to load: config.json is invalid: maxBatchSize/.test(line.message)));
    await waitFor(() => all().length > afterSwap + 100);
    await load.stop();

    const answers = all();
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    // Every answer came from a whole version: v1 doubles nothing, v2 doubles.
    for (const answer of answers) expect(answer.factor).toBe(answer.version === '1' ? 1 : 2);
    expect(new Set(answers.map((answer) => answer.version))).toEqual(new Set(['1', '2']));
    // Atomic: once a client saw v2 it never saw v1 again.
    for (const log of load.answers) {
      const firstV2 = log.findIndex((answer) => answer.version === '2');
      expect(log.slice(firstV2).every((answer) => answer.version === '2')).toBe(true);
    }

    expect((await send(`${server.url}/v2/models/scale`)).json().versions).toEqual(['2']);
    const metrics = (await send(`${server.url}/metrics`)).body;
    expect(metrics).toContain('serving_model_version_info{model="scale",version="2"} 1');
    expect(metrics).not.toContain('serving_model_version_info{model="scale",version="1"}');
    expect(metrics).toContain('serving_model_load_failures_total{model="scale"} 2');
    expect((await send(`${server.url}/v2/models/scale/versions/1`)).status).toBe(404);
  });
});
