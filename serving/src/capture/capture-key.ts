/**
 * Where capture files go: `inference-capture/<model>/<version>/dt=<YYYY-MM-DD>/<file>` in silver.
 * The image's build context is `serving/` alone, so this mirrors `inferenceCaptureKey` of lib/lakehouse/layout.ts;
 * test/unit/serving/capture/capture-key.test.ts fails if the two ever differ.
 */
export function captureObjectKey(model: string, version: string, date: string, fileName: string): string {
  return `inference-capture/${model}/${version}/dt=${date}/${fileName}`;
}

/** `20261129T211503123Z-<instance>-000042.jsonl.gz`: sorts by time, unique per process. */
export function captureFileName(at: Date, instance: string, sequence: number): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${instance}-${String(sequence).padStart(6, '0')}.jsonl.gz`;
}
