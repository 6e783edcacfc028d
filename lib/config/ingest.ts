import { z } from 'zod';

/** Environment variable that carries `ingest.maxRecordBytes` to the ingest function. */
export const INGEST_MAX_RECORD_BYTES_ENV = 'INGEST_MAX_RECORD_BYTES';

/** Longest record read by default: 1 MiB, far above any contract's row, far below the function's memory. */
export const DEFAULT_INGEST_MAX_RECORD_BYTES = 1024 * 1024;

export const ingestConfigSchema = z.strictObject({
  /**
   * Longest line, or CSV record spanning lines, that ingest reads, in bytes; a longer one is quarantined with its
   * first kilobyte and the reason, and the object goes on in bounded memory.
   */
  maxRecordBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(DEFAULT_INGEST_MAX_RECORD_BYTES),
});
export type IngestConfig = z.infer<typeof ingestConfigSchema>;
