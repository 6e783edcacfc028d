import type { Readable } from 'node:stream';
import type { DatasetContract } from '../../lib/contracts';
import { arrowSchemaOf } from './arrow-schema';
import { forEachLine, type LineHandler, type OverlongLineHandler } from './byte-lines';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest-limits';
import { ParquetStreamWriter } from './parquet-stream-writer';
import { QuarantineWriter } from './quarantine-writer';
import { createRecordDecoder, type SourceRecord } from './read-records';
import { RecordBatchBuilder } from './record-batch-builder';
import type { SourceFormat } from './source-object';
import { contentStart, decodeLine } from './source-line';

/** Where the outputs of one object go; each store consumes its stream to the end and resolves once it is durable. */
export interface IngestSinks {
  storeParquet(body: Readable): Promise<void>;
  /** Called only when the object has at least one rejected record. */
  storeQuarantine(body: Readable): Promise<void>;
}

/**
 * Invariant: rowsIn = rowsValid + rowsQuarantined. Blank lines are not records; a CSV record with quoted line breaks
 * is one row spanning several lines (its quarantine entry names the first and last).
 */
export interface IngestCounts {
  readonly rowsIn: number;
  readonly rowsValid: number;
  readonly rowsQuarantined: number;
}

export interface ParquetOptions {
  /** Valid rows buffered in Arrow columns before they go to the encoder as one record batch. */
  readonly batchRows: number;
  /** Rows per Parquet row group. */
  readonly rowGroupRows: number;
}

export const DEFAULT_PARQUET_OPTIONS: ParquetOptions = { batchRows: 16_384, rowGroupRows: 131_072 };

export interface IngestObjectInput {
  readonly input: Readable;
  readonly format: SourceFormat;
  readonly contract: DatasetContract;
  readonly sinks: IngestSinks;
  readonly parquetOptions?: ParquetOptions;
  readonly limits?: IngestLimits;
}

/**
 * Streams one source object through the contract: valid rows to Parquet, rejected rows with reasons to quarantine.
 * Every non-blank line read lands in one of the two (a bad row is quarantined, never a reason to fail the object);
 * only PoisonObjectError (the object as a whole) and failures of the source or the stores end the object early.
 * Quarantine is stored before the Parquet file is finished, so an existing Parquet file means the object is done.
 * On any error both outputs are aborted (nothing partial is stored) and the error is rethrown.
 */
export async function ingestObject({ input, format, contract, sinks, parquetOptions, limits }: IngestObjectInput): Promise<IngestCounts> {
  const { batchRows, rowGroupRows } = parquetOptions ?? DEFAULT_PARQUET_OPTIONS;
  const { maxRecordBytes } = limits ?? DEFAULT_INGEST_LIMITS;
  // Enum columns hold few distinct values: dictionary encoding pays there, and only costs elsewhere (see docs/ingest.md).
  const dictionaryColumns = contract.fields.filter((f) => f.enum !== undefined).map((f) => f.name);
  const schema = arrowSchemaOf(contract);
  const parquet = new ParquetStreamWriter(schema, { rowGroupRows, dictionaryColumns });
  const parquetStored = sinks.storeParquet(parquet.output);
  parquetStored.catch((error: Error) => parquet.abort(error));
  const decoder = createRecordDecoder(format, contract, { maxRecordBytes });
  const rows = new RecordBatchBuilder(contract, schema, batchRows);
  let rowsIn = 0;
  let rowsValid = 0;
  let batchesWritten = 0;
  const writeBatch = () => {
    batchesWritten++;
    return parquet.write(rows.takeBatch());
  };
  let quarantine: QuarantineWriter | undefined;
  let quarantineStored: Promise<void> | undefined;
  const quarantineRecord = (record: SourceRecord, reasons: string[]) => {
    if (!quarantine) {
      const writer = new QuarantineWriter();
      quarantine = writer;
      quarantineStored = sinks.storeQuarantine(writer.output);
      quarantineStored.catch((error: Error) => writer.abort(error));
    }
    return quarantine.append({ line: record.line, ...(record.lastLine !== record.line && { lastLine: record.lastLine }), record: record.raw, reasons });
  };
  const afterValidRow = () => {
    rowsValid++;
    return rows.isFull ? writeBatch() : undefined;
  };
  const take = (record: SourceRecord): Promise<void> | undefined => {
    rowsIn++;
    if (!record.validation.ok) return quarantineRecord(record, record.validation.reasons);
    rows.appendRow(record.validation.row);
    return afterValidRow();
  };
  const takeAll = async (records: SourceRecord[]): Promise<void> => {
    for (const record of records) {
      const wait = take(record);
      if (wait) await wait;
    }
  };
  const onLine: LineHandler = (bytes, start, end, lineNumber, terminator) => {
    start = contentStart(bytes, start, end, lineNumber);
    // The hot path: a plain, valid CSV record goes from its bytes straight into the Arrow column buffers.
    if (decoder.tryAppendValid(bytes, start, end, rows)) {
      rowsIn++;
      return afterValidRow();
    }
    const records = decoder.push(decodeLine(bytes, start, end, lineNumber, terminator));
    if (records.length === 0) return undefined;
    return records.length === 1 ? take(records[0]) : takeAll(records);
  };
  const onOverlongLine: OverlongLineHandler = (prefix, lineBytes, lineNumber) => {
    const text = prefix.subarray(contentStart(prefix, 0, prefix.length, lineNumber)).toString('utf8');
    return takeAll(decoder.pushOverlong({ number: lineNumber, bytes: lineBytes, prefix: text }));
  };
  try {
    await forEachLine(input, onLine, { maxLineBytes: maxRecordBytes, onOverlongLine });
    await takeAll(decoder.end());
    quarantine?.close();
    await quarantineStored;
    // An empty batch gives the encoder the schema of a file with no rows.
    if (rows.length > 0 || batchesWritten === 0) await writeBatch();
    parquet.close();
    await parquetStored;
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    input.destroy();
    parquet.abort(cause);
    quarantine?.abort(cause);
    await Promise.allSettled([parquetStored, quarantineStored]);
    throw cause;
  }
  return { rowsIn, rowsValid, rowsQuarantined: quarantine?.rowsWritten ?? 0 };
}
