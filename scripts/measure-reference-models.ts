// Per-sample latency of the reference models in-process with onnxruntime-node
// (one intra-op thread), at batch 1, 8, 32 and 128. A measurement, not a test:
//   npx tsx scripts/measure-reference-models.ts [iterations]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const MODELS = ['digits-mlp', 'heavy-mlp'];
const BATCH_SIZES = [1, 8, 32, 128];
const REPO_ROOT = join(__dirname, '..');

interface Expected {
  inputName: string;
  outputName: string;
  inputs: number[][];
}

function batchOf(rows: number[][], size: number): Float32Array {
  const data = new Float32Array(size * rows[0].length);
  for (let i = 0; i < size; i += 1) data.set(rows[i % rows.length], i * rows[0].length);
  return data;
}

async function msPerSample(session: InferenceSession, expected: Expected, batchSize: number, iterations: number): Promise<number> {
  const width = expected.inputs[0].length;
  const feeds = { [expected.inputName]: new Tensor('float32', batchOf(expected.inputs, batchSize), [batchSize, width]) };
  for (let i = 0; i < 20; i += 1) await session.run(feeds);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await session.run(feeds);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  return elapsedMs / iterations / batchSize;
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 300);
  console.log('model        batch  ms/sample  samples/s');
  for (const model of MODELS) {
    const expected = JSON.parse(readFileSync(join(REPO_ROOT, 'serving/reference-data', `${model}.expected.json`), 'utf8')) as Expected;
    const session = await InferenceSession.create(join(REPO_ROOT, 'serving/models', model, '1/model.onnx'), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
    for (const batchSize of BATCH_SIZES) {
      const ms = await msPerSample(session, expected, batchSize, iterations);
      console.log(
        `${model.padEnd(12)} ${String(batchSize).padStart(5)}  ${ms.toFixed(4).padStart(9)}  ${Math.round(1000 / ms)
          .toString()
          .padStart(9)}`,
      );
    }
    await session.release();
  }
}

void main();
