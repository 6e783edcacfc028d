/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The server's answers on the bundled reference models must match the predictions
// committed in serving/reference-data (produced by sklearn when the models were generated),
// whether a request carries every row or rows arrive one by one and are batched together.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inferBody, send } from './support/http-client';
import { startServer, type RunningServer } from './support/test-server';

const ROOT = join(__dirname, '../../..');
const TOLERANCE = 1e-5;

interface Expected {
  model: string;
  version: string;
  inputName: string;
  outputName: string;
  inputs: number[][];
  expectedLabels: number[];
  expectedProbabilities: number[][];
}

const load = (model: string): Expected => JSON.parse(readFileSync(join(ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8'));
const argmax = (row: number[]) => row.reduce((best, value, i) => (value > row[best] ? i : best), 0);
const rowsOf = (flat: number[], width: number) => Array.from({ length: flat.length / width }, (_, i) => flat.slice(i * width, (i + 1) * width));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(join(ROOT, 'serving/models'), { ORT_INTRA_OP_THREADS: '2' });
});
afterAll(() => server.stop());

function expectMatches(expected: Expected, probabilities: number[][]): void {
  expect(probabilities.map(argmax)).toEqual(expected.expectedLabels);
  const worst = Math.max(...probabilities.flatMap((row, i) => row.map((p, j) => Math.abs(p - expected.expectedProbabilities[i][j]))));
  expect(worst).toBeLessThan(TOLERANCE);
}

describe.each(['digits-mlp', 'heavy-mlp'])('%s', (model) => {
  const expected = load(model);
  const url = () => `${server.url}/v2/models/${model}/versions/${expected.version}/infer`;

  it('answers the whole held-out set in one request as committed', async () => {
    const res = await send(url(), { body: inferBody(expected.inputName, [expected.inputs.length, 64], expected.inputs) });
    expect(res.status).toBe(200);
    const output = res.json().outputs[0];
    expect([output.name, output.shape]).toEqual([expected.outputName, [expected.inputs.length, 10]]);
    expectMatches(expected, rowsOf(output.data, 10));
  });

  it('answers concurrent single-row requests (dynamically batched) as committed', async () => {
    const probabilities: number[][] = [];
    const concurrency = 32;
    for (let start = 0; start < expected.inputs.length; start += concurrency) {
      const rows = expected.inputs.slice(start, start + concurrency);
      const answers = await Promise.all(rows.map((row) => send(url(), { body: inferBody(expected.inputName, [1, 64], [row]) })));
      probabilities.push(...answers.map((res) => res.json().outputs[0].data as number[]));
    }
    expectMatches(expected, probabilities);
  });
});

it('batched concurrent requests together (the batch size histogram saw batches above 1)', async () => {
  const metrics = (await send(`${server.url}/metrics`)).body;
  const singleRowBatches = Number(/serving_batch_size_bucket\{le="1",model="digits-mlp",version="1"\} (\d+)/.exec(metrics)![1]);
  const allBatches = Number(/serving_batch_size_count\{model="digits-mlp",version="1"\} (\d+)/.exec(metrics)![1]);
  expect(allBatches).toBeGreaterThan(singleRowBatches);
});
