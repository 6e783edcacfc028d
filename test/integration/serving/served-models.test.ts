/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// One repository, many deployments: each serving target loads only its own model (SERVED_MODELS).
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/cdk-context';
import { send } from './support/http-client';
import { startServer, type RunningServer } from './support/test-server';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer(join(REPO_ROOT, 'serving', 'models'), { SERVED_MODELS: 'digits-mlp' });
});
afterAll(async () => server?.stop());

it('loads only the models SERVED_MODELS names and answers 404 for the others', async () => {
  expect(server.app.repository.list().map((version) => version.model)).toEqual(['digits-mlp']);
  expect((await send(`${server.url}/v2/models/digits-mlp/ready`)).status).toBe(200);
  const other = await send(`${server.url}/v2/models/heavy-mlp`);
  expect(other.status).toBe(404);
});
