import { PassThrough, type Readable } from 'node:stream';
import { RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, transformParquetStream, type RecordBatch as WasmRecordBatch } from 'parquet-wasm';
import type { ValidRow } from '../../lib/contracts';
import { createColumnBuffer, type ColumnBuffer } from './arrow-columns';

export interface ParquetStreamWriterOptions {
  /** Rows buffered in JavaScript before they are handed to the encoder as one Arrow record batch. */
  readonly batchRows: number;
  /** Rows per Parquet row group; a row group is flushed to the output as soon as it is full. */
  readonly rowGroupRows: number;
}

export const DEFAULT_PARQUET_OPTIONS: ParquetStreamWriterOptions = { batchRows: 16_384, rowGroupRows: 131_072 };

/**
 * Streams rows into one Parquet file (Snappy, via parquet-wasm / arrow-rs): rows are batched into Arrow record
 * batches and row groups are written to `output` as they fill, so memory stays bounded whatever the row count.
 * `append` returns a promise only when the encoder is busy: await it for backpressure.
 */
export class ParquetStreamWriter {
  /** The Parquet bytes; ends after the footer, or errors if the writer is aborted (never a truncated file). */
  readonly output: Readable;
  private readonly stream = new PassThrough();
  private readonly columns: ColumnBuffer[];
  private controller!: ReadableStreamDefaultController<WasmRecordBatch>;
  private inputClosed = false;
  private resumeProducer: (() => void) | undefined;
  private failure: Error | undefined;
  private buffered = 0;
  rowsWritten = 0;

  constructor(
    private readonly schema: Schema,
    private readonly options: ParquetStreamWriterOptions = DEFAULT_PARQUET_OPTIONS,
  ) {
    this.output = this.stream;
    this.columns = schema.fields.map((f) => createColumnBuffer(f, options.batchRows));
    const batches = new ReadableStream<WasmRecordBatch>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.wakeProducer(),
      },
      { highWaterMark: 1 },
    );
    const properties = new WriterPropertiesBuilder()
      .setCompression(Compression.SNAPPY)
      .setMaxRowGroupSize(options.rowGroupRows)
      .setCreatedBy('mlops-blueprint ingest (parquet-wasm)')
      .build();
    void this.pump(transformParquetStream(batches, properties));
  }

  append(row: ValidRow): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    const index = this.buffered++;
    for (let i = 0; i < row.length; i++) this.columns[i].set(index, row[i]);
    this.rowsWritten++;
    if (this.buffered < this.options.batchRows) return undefined;
    return this.flushBatch();
  }

  /** Writes the buffered rows and the Parquet footer; the output ends once the footer is out. */
  async close(): Promise<void> {
    // An empty batch gives the encoder the schema of a file with no rows.
    if (this.buffered > 0 || this.rowsWritten === 0) await this.flushBatch();
    this.closeInput();
  }

  /** Stops the file: the output errors instead of ending, so no consumer stores a truncated Parquet object. */
  abort(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.stream.destroy(error);
    // The encoder is let finish on a closed input (erroring its input stream crashes parquet-wasm); its bytes are discarded.
    this.closeInput();
    this.wakeProducer();
  }

  private closeInput(): void {
    if (this.inputClosed) return;
    this.inputClosed = true;
    this.controller.close();
  }

  private async flushBatch(): Promise<void> {
    const length = this.buffered;
    this.buffered = 0;
    const children = this.columns.map((c) => c.toData(length));
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    const wasmTable = WasmTable.fromIPCStream(tableToIPC(new Table([new RecordBatch(this.schema, data)]), 'stream'));
    for (const batch of wasmTable.recordBatches()) this.controller.enqueue(batch);
    wasmTable.free();
    if ((this.controller.desiredSize ?? 1) <= 0) {
      await new Promise<void>((resolve) => {
        this.resumeProducer = resolve;
      });
    }
    if (this.failure) throw this.failure;
  }

  /** Copies the encoder's bytes to `output` with backpressure; after an abort it drains them so the encoder can finish. */
  private async pump(encoded: Promise<ReadableStream<Uint8Array>>): Promise<void> {
    try {
      const reader = (await encoded).getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        if (this.failure || this.stream.write(chunk.value)) continue;
        await new Promise<void>((resolve) => {
          const done = () => {
            this.stream.off('drain', done).off('close', done);
            resolve();
          };
          this.stream.on('drain', done).on('close', done);
        });
      }
      if (!this.failure) this.stream.end();
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      this.abort(cause);
    }
  }

  private wakeProducer(): void {
    const resume = this.resumeProducer;
    this.resumeProducer = undefined;
    resume?.();
  }
}
