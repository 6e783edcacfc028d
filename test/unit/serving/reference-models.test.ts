/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The committed reference models must reproduce, under onnxruntime-node, the
// predictions sklearn made when they were generated
// (scripts/generate-reference-models.py).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { z } from 'zod';

const REPO_ROOT = join(__dirname, '../../..');
const PROBABILITY_TOLERANCE = 1e-5;
const HELD_OUT_ROWS = 450;
const N_FEATURES = 64;
const N_CLASSES = 10;
const MAX_MODEL_BYTES = 21 * 1024 * 1024;

const expectedSchema = z.object({
  model: z.string(),
  version: z.string(),
  inputName: z.string(),
  outputName: z.string(),
  inputShape: z.tuple([z.literal(-1), z.number().int()]),
  outputShape: z.tuple([z.literal(-1), z.number().int()]),
  sklearnAccuracy: z.number().min(0).max(1),
  trueLabels: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(N_CLASSES - 1),
  ),
  inputs: z.array(z.array(z.number().int().min(0).max(16)).length(N_FEATURES)).length(HELD_OUT_ROWS),
  expectedLabels: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(N_CLASSES - 1),
    )
    .length(HELD_OUT_ROWS),
  expectedProbabilities: z.array(z.array(z.number().min(0).max(1)).length(N_CLASSES)).length(HELD_OUT_ROWS),
});
type Expected = z.infer<typeof expectedSchema>;

function loadExpected(model: string): Expected {
  const path = join(REPO_ROOT, 'serving/reference-data', `${model}.expected.json`);
  return expectedSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

function modelPath(expected: Expected): string {
  return join(REPO_ROOT, 'serving/models', expected.model, expected.version, 'model.onnx');
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if (values[i] > values[best]) best = i;
  return best;
}

/** Runs `rows` in batches of `batchSize` and returns one probability row per input row. */
async function predict(session: InferenceSession, expected: Expected, rows: number[][], batchSize: number): Promise<Float32Array[]> {
  const predictions: Float32Array[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const input = new Tensor('float32', Float32Array.from(batch.flat()), [batch.length, N_FEATURES]);
    const output = (await session.run({ [expected.inputName]: input }))[expected.outputName];
    expect(output.dims).toEqual([batch.length, N_CLASSES]);
    const data = output.data as Float32Array;
    for (let row = 0; row < batch.length; row += 1) predictions.push(data.slice(row * N_CLASSES, (row + 1) * N_CLASSES));
  }
  return predictions;
}

describe.each(['digits-mlp', 'heavy-mlp'])('reference model %s', (model) => {
  const expected = loadExpected(model);
  let session: InferenceSession;

  beforeAll(async () => {
    session = await InferenceSession.create(modelPath(expected), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  });

  afterAll(async () => {
    await session?.release();
  });

  test('the reference data describes this model and agrees with its recorded accuracy', () => {
    expect(expected.model).toBe(model);
    expect(expected.inputShape).toEqual([-1, N_FEATURES]);
    expect(expected.outputShape).toEqual([-1, N_CLASSES]);
    const correct = expected.expectedLabels.filter((label, row) => label === expected.trueLabels[row]).length;
    expect(correct / HELD_OUT_ROWS).toBeCloseTo(expected.sklearnAccuracy, 6);
    expect(expected.sklearnAccuracy).toBeGreaterThan(0.95);
    expect(statSync(modelPath(expected)).size).toBeLessThan(MAX_MODEL_BYTES);
  });

  test('the graph exposes one FP32 input and output with a dynamic batch dimension', () => {
    expect(session.inputNames).toEqual([expected.inputName]);
    expect(session.outputNames).toEqual([expected.outputName]);
    const [input] = session.inputMetadata;
    const [output] = session.outputMetadata;
    expect(input).toMatchObject({ name: expected.inputName, isTensor: true, type: 'float32' });
    expect(output).toMatchObject({ name: expected.outputName, isTensor: true, type: 'float32' });
    if (!input.isTensor || !output.isTensor) throw new Error('expected tensor metadata');
    expect(typeof input.shape[0]).toBe('string');
    expect(input.shape[1]).toBe(N_FEATURES);
    expect(typeof output.shape[0]).toBe('string');
    expect(output.shape[1]).toBe(N_CLASSES);
  });

  test.each([HELD_OUT_ROWS, 32, 7, 1])('predicts the held-out set exactly, in batches of %i', async (batchSize) => {
    const rows = batchSize === 1 ? expected.inputs.slice(0, 50) : expected.inputs;
    const predictions = await predict(session, expected, rows, batchSize);

    expect(predictions.map(argmax)).toEqual(expected.expectedLabels.slice(0, rows.length));
    let maxDifference = 0;
    predictions.forEach((probabilities, row) => {
      probabilities.forEach((p, k) => {
        maxDifference = Math.max(maxDifference, Math.abs(p - expected.expectedProbabilities[row][k]));
      });
    });
    expect(maxDifference).toBeLessThanOrEqual(PROBABILITY_TOLERANCE);
  });
});
