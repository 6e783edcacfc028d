import { InferenceSession, Tensor } from 'onnxruntime-node';

export interface RawPoint {
  readonly batchSize: number;
  readonly msPerRun: number;
  readonly rowsPerSecond: number;
}

/** In-process session.run throughput of one model for each batch size (single-row inputs repeated). */
export async function measureRaw(modelPath: string, inputName: string, row: readonly number[], batchSizes: readonly number[], threads: number, budgetMs: number): Promise<RawPoint[]> {
  const session = await InferenceSession.create(modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const points: RawPoint[] = [];
  for (const batchSize of batchSizes) {
    const data = new Float32Array(batchSize * row.length);
    for (let i = 0; i < batchSize; i++) data.set(row, i * row.length);
    const feeds = { [inputName]: new Tensor('float32', data, [batchSize, row.length]) };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    let runs = 0;
    const start = performance.now();
    while (performance.now() - start < budgetMs) {
      await session.run(feeds);
      runs++;
    }
    const msPerRun = (performance.now() - start) / runs;
    points.push({ batchSize, msPerRun, rowsPerSecond: (batchSize * 1000) / msPerRun });
  }
  await session.release();
  return points;
}
