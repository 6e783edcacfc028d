import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { DatasetContract } from '../../lib/contracts';
import { arrowSchemaOf } from './arrow-schema';
import { DEFAULT_PARQUET_OPTIONS, ParquetStreamWriter, type ParquetStreamWriterOptions } from './parquet-stream-writer';
import { QuarantineWriter } from './quarantine-writer';
import { createRecordDecoder } from './read-records';
import type { SourceFormat } from './source-object';

/** Where the outputs of one object go; each store consumes its stream to the end and resolves once it is durable. */
export interface IngestSinks {
  storeParquet(body: Readable): Promise<void>;
  /** Called only when the object has at least one rejected record. */
  storeQuarantine(body: Readable): Promise<void>;
}

/** Invariant: rowsIn = rowsValid + rowsQuarantined. Blank lines are not records. */
export interface IngestCounts {
  readonly rowsIn: number;
  readonly rowsValid: number;
  readonly rowsQuarantined: number;
}

export interface IngestObjectInput {
  readonly input: Readable;
  readonly format: SourceFormat;
  readonly contract: DatasetContract;
  readonly sinks: IngestSinks;
  readonly parquetOptions?: ParquetStreamWriterOptions;
}

/**
 * Streams one source object through the contract: valid rows to Parquet, rejected rows with reasons to quarantine.
 * Quarantine is stored before the Parquet file is finished, so an existing Parquet file means the object is done.
 * On any error both outputs are aborted (nothing partial is stored) and the error is rethrown.
 */
export async function ingestObject({ input, format, contract, sinks, parquetOptions }: IngestObjectInput): Promise<IngestCounts> {
  const parquet = new ParquetStreamWriter(arrowSchemaOf(contract), parquetOptions ?? DEFAULT_PARQUET_OPTIONS);
  const parquetStored = sinks.storeParquet(parquet.output);
  parquetStored.catch((error: Error) => parquet.abort(error));
  let quarantine: QuarantineWriter | undefined;
  let quarantineStored: Promise<void> | undefined;
  const decoder = createRecordDecoder(format, contract);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let inputError: Error | undefined;
  input.once('error', (error) => {
    inputError = error;
    lines.close();
  });
  let rowsIn = 0;
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      const record = decoder.push(text, ++lineNumber);
      if (!record) continue;
      rowsIn++;
      if (record.validation.ok) {
        const backpressure = parquet.append(record.validation.row);
        if (backpressure) await backpressure;
        continue;
      }
      if (!quarantine) {
        const writer = new QuarantineWriter();
        quarantine = writer;
        quarantineStored = sinks.storeQuarantine(writer.output);
        quarantineStored.catch((error: Error) => writer.abort(error));
      }
      await quarantine.append({ line: record.line, record: decoder.lastRaw(), reasons: record.validation.reasons });
    }
    if (inputError) throw inputError;
    decoder.end();
    quarantine?.close();
    await quarantineStored;
    await parquet.close();
    await parquetStored;
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    lines.close();
    input.destroy();
    parquet.abort(cause);
    quarantine?.abort(cause);
    await Promise.allSettled([parquetStored, quarantineStored]);
    throw cause;
  }
  return { rowsIn, rowsValid: parquet.rowsWritten, rowsQuarantined: quarantine?.rowsWritten ?? 0 };
}
