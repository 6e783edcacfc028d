import { z } from 'zod';

/**
 * Per-model settings, read from `config.json` beside `model.onnx` (every key optional).
 * Unknown keys are rejected so that a typo does not silently fall back to a default.
 */
export const modelConfigSchema = z
  .object({
    /** Most rows (dimension 0) coalesced into one `session.run`; 0 or 1 turns batching off. */
    maxBatchSize: z.number().int().min(0).max(4096).default(32),
    /** How long the oldest queued request may wait for others to join its batch; 0 = run as soon as a session is free. */
    maxQueueDelayMicros: z.number().int().min(0).max(10_000_000).default(0),
    /** Requests allowed to wait; beyond it requests get 429 with Retry-After. */
    maxQueueSize: z.number().int().min(1).max(100_000).default(256),
    /** Time from admission to result; beyond it the request gets 504. */
    requestTimeoutMs: z.number().int().min(1).max(900_000).default(30_000),
    /** Concurrent `session.run` calls for this model (onnxruntime sessions are thread-safe). */
    instances: z.number().int().min(1).max(64).default(1),
    /** Accept NaN / ±Infinity in floating-point inputs. */
    allowNonFinite: z.boolean().default(false),
    /**
     * Where session.run executes: `worker` (a worker thread per instance; the event loop stays free)
     * or `inline` (on the event loop: saves two thread hops, but blocks it while computing —
     * only for models that take microseconds per batch).
     */
    executor: z.enum(['worker', 'inline']).default('worker'),
    /**
     * Accept this version even though requests that the serving version answers would fail on it (an input or output
     * removed, added, retyped or narrowed). Without it such a version is refused and the serving one stays.
     */
    allowSignatureChange: z.boolean().default(false),
    /** Overrides the server-wide onnxruntime intra-op thread count for this model. */
    intraOpThreads: z.number().int().min(1).max(256).optional(),
  })
  .strict();

export type ModelConfig = z.infer<typeof modelConfigSchema>;

export const DEFAULT_MODEL_CONFIG: ModelConfig = modelConfigSchema.parse({});

/** Parses config.json text; throws an Error naming the key, the value and what is allowed. */
export function parseModelConfig(text: string | undefined): ModelConfig {
  if (text === undefined) return DEFAULT_MODEL_CONFIG;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`config.json is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = modelConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`config.json is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}
