import type { Readable } from 'node:stream';
import type { IngestSinks } from '../../../../../lambdas/ingest/ingest-object';

/** Sinks that keep what they are given in memory. */
export function memorySinks() {
  const stored: { parquet?: Buffer; quarantine?: Buffer } = {};
  const consume = async (body: Readable): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const sinks: IngestSinks = {
    storeParquet: async (body) => {
      stored.parquet = await consume(body);
    },
    storeQuarantine: async (body) => {
      stored.quarantine = await consume(body);
    },
  };
  return { sinks, stored };
}

export interface QuarantinedRow {
  readonly line: number;
  readonly lastLine?: number;
  readonly record: unknown;
  readonly reasons: string[];
}

export function quarantineRows(bytes: Buffer | undefined): QuarantinedRow[] {
  return (bytes ?? Buffer.alloc(0))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as QuarantinedRow);
}
