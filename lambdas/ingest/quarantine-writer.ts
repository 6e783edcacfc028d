import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';

/** One rejected record as stored in the quarantine area (one JSON object per line). */
export interface QuarantineEntry {
  readonly line: number;
  /** Last line of a record spanning several (CSV quoted line breaks); absent for a one-line record. */
  readonly lastLine?: number;
  readonly record: unknown;
  readonly reasons: readonly string[];
}

/** The entry as one JSON line; a record JSON cannot represent (too deep, a cycle) is replaced by a note, with the reason. */
function serialize(entry: QuarantineEntry): string {
  try {
    return `${JSON.stringify(entry)}\n`;
  } catch (error) {
    const record = typeof entry.record === 'string' ? entry.record : '(not representable as JSON; see the source object at this line)';
    return `${JSON.stringify({ ...entry, record, reasons: [...entry.reasons, `record not serializable as JSON (${(error as Error).message})`] })}\n`;
  }
}

/** Writes rejected records as JSON Lines to `output`, with backpressure. */
export class QuarantineWriter {
  private readonly stream = new PassThrough();
  readonly output: Readable = this.stream;
  rowsWritten = 0;

  /** Returns a promise only when the output is full: await it for backpressure. */
  append(entry: QuarantineEntry): Promise<void> | undefined {
    this.rowsWritten++;
    return this.stream.write(serialize(entry)) ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  close(): void {
    this.stream.end();
  }

  abort(error: Error): void {
    this.stream.destroy(error);
  }
}
