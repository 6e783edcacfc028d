/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
import { inferBody, send } from './support/http-client';
import { startServer, TempRepository, type RunningServer } from './support/test-server';

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a deployment pinned to one version (SERVED_MODEL_VERSION)', () => {
  const servers: RunningServer[] = [];
  const repos: TempRepository[] = [];
  const start = async (files: Record<string, string>, env: Record<string, string>) => {
    const repo = new TempRepository(files);
    repos.push(repo);
    const server = await startServer(repo.root, { MODEL_POLL_INTERVAL_SECONDS: '0.05', SERVED_MODELS: 'scale', ...env });
    servers.push(server);
    return { repo, server };
  };
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    for (const repo of repos) repo.remove();
  });

  it('serves its pinned version and never switches to a newer one on its own', async () => {
    const { repo, server } = await start({ 'scale/1/model.onnx': 'scale-v1.onnx', 'scale/2/model.onnx': 'scale-v2.onnx' }, { SERVED_MODEL_VERSION: '1' });
    const infer = () => send(`${server.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [1, 2, 3, 4]) });
    expect((await infer()).json()).toMatchObject({ model_version: '1', outputs: [{ data: [1, 2, 3, 4] }] });

    repo.put('scale/3/model.onnx', 'scale-v2.onnx');
    await server.app.repository.poll();
    await new Promise((resolve) => setTimeout(resolve, 200)); // several poll intervals
    expect((await infer()).json().model_version).toBe('1');
    expect((await send(`${server.url}/v2/models/scale`)).json().versions).toEqual(['1']);
  });

  it('pinned to none (no version approved yet): not ready, and says why', async () => {
    const { server } = await start({ 'scale/1/model.onnx': 'scale-v1.onnx' }, { SERVED_MODEL_VERSION: 'none' });
    const ready = await send(`${server.url}/v2/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json().error).toBe('no version of scale is approved for serving yet (SERVED_MODEL_VERSION=none)');
  });

  it('pinned to a version not in the repository yet: not ready until it appears, then serves it', async () => {
    const { repo, server } = await start({ 'scale/1/model.onnx': 'scale-v1.onnx' }, { SERVED_MODEL_VERSION: '2' });
    const ready = await send(`${server.url}/v2/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json().error).toBe('the pinned version scale/2 (SERVED_MODEL_VERSION) is not in the repository');

    repo.put('scale/2/model.onnx', 'scale-v2.onnx');
    await waitFor(async () => (await send(`${server.url}/v2/health/ready`)).status === 200);
    expect((await send(`${server.url}/v2/models/scale`)).json().versions).toEqual(['2']);
  });

  it('pinned to a version that fails to load: not ready, with the load error', async () => {
    const { server } = await start({ 'scale/1/model.onnx': 'scale-v1.onnx', 'scale/2/model.onnx': 'broken.onnx' }, { SERVED_MODEL_VERSION: '2' });
    const ready = await send(`${server.url}/v2/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json().error).toMatch(/version '2' failed to load/);
  });
});
