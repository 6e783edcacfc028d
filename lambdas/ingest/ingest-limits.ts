import { DEFAULT_INGEST_MAX_RECORD_BYTES, INGEST_MAX_RECORD_BYTES_ENV, ingestConfigSchema } from '../../lib/config/ingest';

/** How much of a source object ingest reads as one record. */
export interface IngestLimits {
  /** Longest line, or CSV record spanning lines, read; longer ones are quarantined (see lib/config/ingest.ts). */
  readonly maxRecordBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxRecordBytes: DEFAULT_INGEST_MAX_RECORD_BYTES };

/** The limits from the function's environment (set from cdk.json), defaults where unset; throws naming a bad value. */
export function ingestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestLimits {
  const raw = env[INGEST_MAX_RECORD_BYTES_ENV];
  if (raw === undefined || raw === '') return DEFAULT_INGEST_LIMITS;
  const parsed = ingestConfigSchema.shape.maxRecordBytes.safeParse(Number(raw));
  if (!parsed.success) throw new Error(`${INGEST_MAX_RECORD_BYTES_ENV}=${JSON.stringify(raw)}: ${parsed.error.issues[0].message}`);
  return { maxRecordBytes: parsed.data };
}
