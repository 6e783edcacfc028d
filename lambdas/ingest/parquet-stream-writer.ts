import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { Table, tableToIPC, type Schema } from 'apache-arrow';
import { transferablesOf, type ColumnBatch } from './record-batch-builder';

/** Where the encoder's worker script lives: beside this file in the source tree, and beside the bundle. */
export const PARQUET_ENCODER_WORKER_PATH = join(__dirname, 'parquet-encoder-worker.js');

/** How the Parquet file is encoded (plain data: it is the worker's `workerData`). */
export interface ParquetEncoding {
  /** Rows per Parquet row group; a row group is flushed to the output as soon as it is full. */
  readonly rowGroupRows: number;
  /** Columns that get dictionary encoding (the others are PLAIN): the low-cardinality ones. */
  readonly dictionaryColumns: readonly string[];
}

type WorkerMessage = { type: 'taken' } | { type: 'bytes'; chunk: Uint8Array } | { type: 'end' } | { type: 'error'; message: string };

/**
 * Batches sent to the encoder and not yet taken by it. A few, so that parsing goes on while the encoder finishes a
 * row group (it takes no batch meanwhile); each is about 1–2 MB.
 */
const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * Streams record batches into one Parquet file (Snappy, via parquet-wasm / arrow-rs in a worker thread, so
 * that encoding overlaps with parsing): row groups are written to `output` as they fill, so memory stays bounded
 * whatever the row count. `write` returns a promise only when the encoder is behind or the output is full: await it
 * for backpressure.
 */
export class ParquetStreamWriter {
  /** The Parquet bytes; ends after the footer, or errors if the writer is aborted (never a truncated file). */
  readonly output: Readable;
  private readonly stream = new PassThrough();
  private readonly worker: Worker;
  private inFlight = 0;
  private resumeProducer: (() => void) | undefined;
  private failure: Error | undefined;
  private finished = false;

  constructor(schema: Schema, encoding: ParquetEncoding) {
    this.output = this.stream;
    // The schema travels as Arrow IPC (a stream with no batches); the worker rebuilds each batch against it.
    const schemaIpc = tableToIPC(new Table(schema), 'stream');
    this.worker = new Worker(PARQUET_ENCODER_WORKER_PATH, { workerData: { ...encoding, schemaIpc } });
    this.worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    this.worker.on('error', (error) => this.abort(error));
    this.worker.on('exit', (code) => {
      if (!this.finished) this.abort(new Error(`Parquet encoder worker exited with code ${code} before the file was complete`));
    });
    this.stream.on('drain', () => this.wakeProducer());
  }

  /** Encodes one record batch; its buffers are transferred to the encoder's thread (unusable here afterwards). */
  write(batch: ColumnBatch): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.inFlight++;
    this.worker.postMessage({ type: 'batch', batch }, transferablesOf(batch));
    return this.mustWait() ? this.waitForRoom() : undefined;
  }

  /** Writes the Parquet footer once every batch is encoded; the output ends once it is out. */
  close(): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage({ type: 'close' });
  }

  /** Stops the file: the output errors instead of ending, so no consumer stores a truncated Parquet object. */
  abort(error: Error): void {
    if (this.failure || this.finished) return;
    this.failure = error;
    this.finished = true;
    this.stream.destroy(error);
    void this.worker.terminate();
    this.wakeProducer();
  }

  private mustWait(): boolean {
    return this.inFlight >= MAX_BATCHES_IN_FLIGHT || this.stream.writableNeedDrain;
  }

  private async waitForRoom(): Promise<void> {
    while (this.mustWait() && !this.failure) {
      await new Promise<void>((resolve) => {
        this.resumeProducer = resolve;
      });
    }
    if (this.failure) throw this.failure;
  }

  private onMessage(message: WorkerMessage): void {
    if (this.finished) return;
    switch (message.type) {
      case 'taken':
        this.inFlight--;
        this.wakeProducer();
        return;
      case 'bytes':
        this.stream.write(message.chunk);
        return;
      case 'end':
        this.finished = true;
        this.stream.end();
        void this.worker.terminate();
        return;
      case 'error':
        this.abort(new Error(`Parquet encoding failed: ${message.message}`));
    }
  }

  private wakeProducer(): void {
    const resume = this.resumeProducer;
    this.resumeProducer = undefined;
    resume?.();
  }
}
