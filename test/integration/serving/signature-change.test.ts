/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
import { inferBody, send } from './support/http-client';
import { startServer, TempRepository, type RunningServer } from './support/test-server';

// A new version whose input signature differs used to be swapped in under load, after which every request failed with
// 400 "unknown input" (issue 10). It must now stay unloaded, say why, be counted, and leave the old version serving.

const repo = new TempRepository({ 'scale/1/model.onnx': 'scale-v1.onnx' });
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(repo.root, { MODEL_POLL_INTERVAL_SECONDS: '0.05' });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const infer = () => send(`${server.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [1, 2, 3, 4]) });
const refusals = async () => (await server.app.metrics.signatureRefusals.get()).values.find((v) => v.labels.model === 'scale')?.value ?? 0;

describe('a new version with an incompatible signature', () => {
  it('is refused: it stays unloaded with a clear log line and a metric, and the old version keeps serving', async () => {
    expect((await infer()).json().model_version).toBe('1');
    repo.put('scale/2/model.onnx', 'dtypes.onnx');
    await waitFor(async () => (await refusals()) === 1);

    const res = await infer();
    expect([res.status, res.json().model_version]).toEqual([200, '1']);
    const refused = server.logger.lines.find((line) => line.level === 'error' && /version '2'/.test(line.message));
    expect(refused?.message).toMatch(
      /^model 'scale' version '2' failed to load: its signature breaks requests to the serving version '1' \(input 'x' is gone; .*\); it stays unloaded and '1' keeps serving\. Set "allowSignatureChange": true in its config\.json to accept the change$/,
    );
  });

  it('is swapped in when its config.json allows the change', async () => {
    repo.put('scale/3/config.json', { allowSignatureChange: true });
    repo.put('scale/3/model.onnx', 'dtypes.onnx');
    await waitFor(() => server.app.repository.get('scale')?.version === '3');
    expect(await refusals()).toBe(1);
    expect((await infer()).status).toBe(400); // the clients' old requests now fail: what the config accepted
  });
});
