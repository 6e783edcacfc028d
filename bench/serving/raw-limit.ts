import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ownCpuSeconds } from './cpu-time';

/** The server's session options (idle threads do not spin: see runtime/model-version.ts), to price a row as the server runs it. */
export const SERVER_SESSION_OPTIONS: InferenceSession.SessionOptions = {
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

export interface RawPoint {
  readonly batchSize: number;
  readonly msPerRun: number;
  readonly rowsPerSecond: number;
  /** CPU time (all onnxruntime threads) per row: what a row costs the machine, not just the wall clock. */
  readonly cpuMicrosPerRow: number;
}

/** In-process session.run throughput of one model for each batch size (single-row inputs repeated). */
export async function measureRaw(
  modelPath: string,
  inputName: string,
  row: readonly number[],
  batchSizes: readonly number[],
  threads: number,
  budgetMs: number,
  extraOptions: InferenceSession.SessionOptions = {},
): Promise<RawPoint[]> {
  const session = await InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...extraOptions,
  });
  const points: RawPoint[] = [];
  for (const batchSize of batchSizes) {
    const data = new Float32Array(batchSize * row.length);
    for (let i = 0; i < batchSize; i++) data.set(row, i * row.length);
    const feeds = { [inputName]: new Tensor('float32', data, [batchSize, row.length]) };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    let runs = 0;
    const cpuStart = ownCpuSeconds();
    const start = performance.now();
    while (performance.now() - start < budgetMs) {
      await session.run(feeds);
      runs++;
    }
    const msPerRun = (performance.now() - start) / runs;
    const cpuMicrosPerRow = ((ownCpuSeconds() - cpuStart) * 1e6) / (runs * batchSize);
    points.push({ batchSize, msPerRun, rowsPerSecond: (batchSize * 1000) / msPerRun, cpuMicrosPerRow });
  }
  await session.release();
  return points;
}
