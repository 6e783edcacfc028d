/**
 * How long a serving replica may take to become ready: fetch the model from S3, create its onnxruntime sessions and
 * run the warm-up inference. The model's memory need stands in for its size (an ONNX session holds about its file in
 * memory, plus activations): a model that needs more memory takes longer to load.
 *
 * Rule: 30 s (process start, first repository listing) + 1 s per 25 MiB of the serving container's memory (S3 reads
 * reach 50-100 MB/s from one task; session creation and warm-up take about as long again), rounded up to 10 s.
 * 2 GiB → 120 s; 8 GiB → 360 s.
 */
export const STARTUP_BASE_SECONDS = 30;
export const STARTUP_MIB_PER_SECOND = 25;

/** Seconds a replica with this much memory for the serving container may take to load its model and become ready. */
export function startupAllowanceSeconds(containerMemoryMiB: number): number {
  if (!Number.isFinite(containerMemoryMiB) || containerMemoryMiB <= 0) {
    throw new RangeError(`startupAllowanceSeconds: containerMemoryMiB must be a positive number, got ${containerMemoryMiB}`);
  }
  const seconds = STARTUP_BASE_SECONDS + containerMemoryMiB / STARTUP_MIB_PER_SECOND;
  return Math.ceil(seconds / 10) * 10;
}
