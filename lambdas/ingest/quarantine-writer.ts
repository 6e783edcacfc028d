import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';

/** One rejected record as stored in the quarantine area (one JSON object per line). */
export interface QuarantineEntry {
  readonly line: number;
  readonly record: unknown;
  readonly reasons: readonly string[];
}

/** Writes rejected records as JSON Lines to `output`, with backpressure. */
export class QuarantineWriter {
  private readonly stream = new PassThrough();
  readonly output: Readable = this.stream;
  rowsWritten = 0;

  /** Returns a promise only when the output is full: await it for backpressure. */
  append(entry: QuarantineEntry): Promise<void> | undefined {
    this.rowsWritten++;
    return this.stream.write(`${JSON.stringify(entry)}\n`) ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  close(): void {
    this.stream.end();
  }

  abort(error: Error): void {
    this.stream.destroy(error);
  }
}
