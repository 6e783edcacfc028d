import { z } from 'zod';

/** Environment variable carrying each model's archive limits (JSON, model name → ArchiveLimits) to the promotion function. */
export const PROMOTION_ARCHIVE_LIMITS_ENV = 'PROMOTION_ARCHIVE_LIMITS';

const MIB = 1024 * 1024;

/** Bounds on what one model package may expand to when promoted; each rejection names its limit. */
export interface ArchiveLimits {
  /** Largest uncompressed model (.onnx object, or .onnx entry of an archive). */
  readonly maxModelBytes: number;
  /** Most bytes an archive may expand to, tar headers and every entry included. */
  readonly maxExpandedBytes: number;
  /** Most entries in an archive (files, directories, links). */
  readonly maxEntries: number;
  /** Largest GNU long-name record or pax header in an archive. */
  readonly maxHeaderBytes: number;
}

export const promotionConfigSchema = z.strictObject({
  /**
   * Largest uncompressed model, in MB, for every model of the environment. Default: half of each model's
   * `traffic.memoryMb` (the serving instance's memory): onnxruntime holds the model bytes and its initialized tensors
   * while loading, so a model over half the memory cannot be served.
   */
  maxModelMb: z.number().int().positive().optional(),
  /** Most an archive may expand to, in MB. Default: twice the model limit plus 64 MB (room for code and metadata). */
  maxExpandedMb: z.number().int().positive().optional(),
  /** Most entries in a model archive. */
  maxArchiveEntries: z.number().int().min(1).max(1_000_000).default(1000),
  /** Largest GNU long-name record or pax header, in bytes (paths are a few hundred bytes; tar-stream buffers these whole). */
  maxArchiveHeaderBytes: z
    .number()
    .int()
    .min(512)
    .max(MIB)
    .default(16 * 1024),
});
export type PromotionConfig = z.infer<typeof promotionConfigSchema>;

export const DEFAULT_PROMOTION_CONFIG: PromotionConfig = promotionConfigSchema.parse({});

/** The limits of one model: the environment's promotion config, with defaults sized from the model's serving memory. */
export function archiveLimitsOf(config: PromotionConfig, servingMemoryMb: number): ArchiveLimits {
  const maxModelBytes = (config.maxModelMb ?? Math.floor(servingMemoryMb / 2)) * MIB;
  return {
    maxModelBytes,
    maxExpandedBytes: config.maxExpandedMb === undefined ? 2 * maxModelBytes + 64 * MIB : config.maxExpandedMb * MIB,
    maxEntries: config.maxArchiveEntries,
    maxHeaderBytes: config.maxArchiveHeaderBytes,
  };
}

/** Every model of the environment with its limits (the PROMOTION_ARCHIVE_LIMITS value, once JSON). */
export function archiveLimitsByModel(
  config: PromotionConfig,
  models: readonly { name: string; traffic: { memoryMb: number } }[],
): Record<string, ArchiveLimits> {
  return Object.fromEntries(models.map((model) => [model.name, archiveLimitsOf(config, model.traffic.memoryMb)]));
}

/** Limits of a model the environment does not size: those of a 2 GB serving instance with the default config. */
export const FALLBACK_ARCHIVE_LIMITS: ArchiveLimits = archiveLimitsOf(DEFAULT_PROMOTION_CONFIG, 2048);

export const archiveLimitsSchema = z.strictObject({
  maxModelBytes: z.number().int().positive(),
  maxExpandedBytes: z.number().int().positive(),
  maxEntries: z.number().int().positive(),
  maxHeaderBytes: z.number().int().positive(),
});

/** Reads PROMOTION_ARCHIVE_LIMITS; throws naming the variable and the problem. */
export function parseArchiveLimitsByModel(text: string): ReadonlyMap<string, ArchiveLimits> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${PROMOTION_ARCHIVE_LIMITS_ENV} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = z.record(z.string(), archiveLimitsSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${PROMOTION_ARCHIVE_LIMITS_ENV} at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return new Map(Object.entries(parsed.data));
}
