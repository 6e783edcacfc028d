/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
import { createWithFirstProvider } from '../../../serving/src/runtime/execution-providers';
import { send } from './support/http-client';
import { startServer, TempRepository, type RunningServer } from './support/test-server';

// This machine has no GPU and the package's CPU build has no CUDA provider: onnxruntime refuses 'cuda' here.
describe('execution providers chosen per model, the one in use reported', () => {
  const servers: RunningServer[] = [];
  const repos: TempRepository[] = [];
  const start = async (files: Record<string, string | object>, env: Record<string, string> = {}) => {
    const repo = new TempRepository(files);
    repos.push(repo);
    const server = await startServer(repo.root, env);
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    for (const repo of repos) repo.remove();
  });

  it('cuda then cpu: without CUDA it runs on the CPU and says so in the metadata and the metrics', async () => {
    const server = await start({ 'scale/1/model.onnx': 'scale-v1.onnx' }, { EXECUTION_PROVIDERS: 'cuda,cpu' });
    expect((await send(`${server.url}/v2/health/ready`)).status).toBe(200);
    expect((await send(`${server.url}/v2/models/scale`)).json().parameters).toEqual({ execution_provider: 'cpu' });
    expect((await send(`${server.url}/metrics`)).body).toContain('serving_execution_provider_info{model="scale",version="1",provider="cpu"} 1');
  });

  it('a model that requires the GPU (cuda only) and gets no CUDA provider is not ready, and says why', async () => {
    const server = await start({ 'scale/1/model.onnx': 'scale-v1.onnx' }, { EXECUTION_PROVIDERS: 'cuda' });
    const ready = await send(`${server.url}/v2/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json().error).toMatch(
      /version '1' failed to load: requires the CUDA execution provider, which is not available here \(cuda: .+\); run the CUDA serving image on a GPU node/,
    );
    expect((await send(`${server.url}/metrics`)).body).not.toContain('serving_execution_provider_info{');
  });

  it("a model's config.json overrides the server's providers", async () => {
    const server = await start(
      { 'scale/1/config.json': { executionProviders: ['cpu'] }, 'scale/1/model.onnx': 'scale-v1.onnx' },
      { EXECUTION_PROVIDERS: 'cuda' },
    );
    expect((await send(`${server.url}/v2/models/scale`)).json().parameters).toEqual({ execution_provider: 'cpu' });
  });

  it('bad provider lists are refused at load (config.json) and at start (EXECUTION_PROVIDERS)', async () => {
    const server = await start({ 'scale/1/config.json': { executionProviders: ['cuda', 'cuda'] }, 'scale/1/model.onnx': 'scale-v1.onnx' });
    expect((await send(`${server.url}/v2/health/ready`)).json().error).toMatch(/config.json is invalid: executionProviders: each provider at most once/);
    await expect(start({}, { EXECUTION_PROVIDERS: 'gpu' })).rejects.toThrow(
      /EXECUTION_PROVIDERS="gpu": cuda,cpu \(the GPU when there is one\), cuda \(GPU required\) or cpu/,
    );
  });
});

describe('createWithFirstProvider', () => {
  it('takes the first provider that works, in order, and names every failure otherwise', async () => {
    const tried: string[] = [];
    const create = async (provider: string) => {
      tried.push(provider);
      if (provider === 'cuda') throw new Error('no GPU');
      return provider;
    };
    await expect(createWithFirstProvider(['cuda', 'cpu'], create)).resolves.toEqual({ provider: 'cpu', value: 'cpu' });
    expect(tried).toEqual(['cuda', 'cpu']);
    await expect(createWithFirstProvider(['cpu', 'cuda'], create)).resolves.toEqual({ provider: 'cpu', value: 'cpu' });
    await expect(createWithFirstProvider(['cuda'], create)).rejects.toThrow('requires the CUDA execution provider, which is not available here (cuda: no GPU)');
  });
});
