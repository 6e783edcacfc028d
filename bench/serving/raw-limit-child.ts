/**
 * Runs measureRaw in its own process so the benchmark can pin it to the server's CPUs (`taskset`): the raw
 * onnxruntime limit is then measured on the same cores, at the same thread count and session options, as the server.
 * argv[2]: JSON { modelPath, inputName, row, batchSizes, threads, budgetMs }; prints the points as one JSON line.
 */
import { measureRaw, SERVER_SESSION_OPTIONS } from './raw-limit';

const { modelPath, inputName, row, batchSizes, threads, budgetMs } = JSON.parse(process.argv[2]) as {
  modelPath: string;
  inputName: string;
  row: number[];
  batchSizes: number[];
  threads: number;
  budgetMs: number;
};
void measureRaw(modelPath, inputName, row, batchSizes, threads, budgetMs, SERVER_SESSION_OPTIONS).then((points) => console.log(JSON.stringify(points)));
