import { CsvFieldTokenizer } from './csv-fields';
import type { SourceLine } from './source-line';

/** One CSV record: the lines it spans, and its fields or why it is not valid CSV (it will be quarantined). */
export interface CsvRecord {
  readonly line: number;
  readonly lastLine: number;
  readonly fields?: string[];
  readonly error?: string;
  /** The record as read, terminators inside it included. */
  readonly text: string;
}

/**
 * Turns the lines of a CSV object into records (RFC 4180, see CsvFieldTokenizer), skipping blank lines. A record
 * spanning lines (a quoted field holding line breaks) keeps them byte for byte. A quoted field that is still open
 * after `maxRecordBytes`, before an over-long line, or at the end of the object makes only the line where it opened
 * bad: the lines after it are read again as records of their own, so one bad quote never takes the rest of the file.
 */
export class CsvRecordReader {
  private readonly tokenizer = new CsvFieldTokenizer();
  /** Lines of the record in progress (a quoted field is open); bounded by maxRecordBytes. */
  private pending: SourceLine[] = [];
  private pendingBytes = 0;
  /** Line where the quoted field still open was opened. */
  private quoteLine = 0;

  constructor(private readonly maxRecordBytes: number) {}

  /** True while a quoted record spans lines: the next line belongs to it. */
  get inRecord(): boolean {
    return this.pending.length > 0;
  }

  /** Reads one line; returns the records it completes (usually none or one). */
  push(line: SourceLine): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.feed([line], out);
    return out;
  }

  /** Before a line that is not read (over-long): an open record cannot continue through it. */
  interrupt(reason: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    while (this.inRecord) this.feed(this.abandonOpenRecord(reason, out), out);
    return out;
  }

  /** After the last line: a record still open is bad, and the lines after its first are read again. */
  end(): CsvRecord[] {
    return this.interrupt('is not closed before the end of the object');
  }

  /** Reads the lines in order; lines given back by an abandoned record are read again before the next ones. */
  private feed(lines: readonly SourceLine[], out: CsvRecord[]): void {
    const work = [...lines].reverse();
    const readAgain = (again: SourceLine[]) => work.push(...again.reverse());
    for (let line = work.pop(); line !== undefined; line = work.pop()) {
      if (this.inRecord && this.pendingBytes + line.bytes > this.maxRecordBytes) {
        work.push(line);
        readAgain(this.abandonOpenRecord(`is not closed within ${this.maxRecordBytes} bytes (maxRecordBytes)`, out));
        continue;
      }
      if (!this.inRecord && line.text === '') continue;
      this.pending.push(line);
      this.pendingBytes += line.bytes;
      if (!this.tokenizer.scan(line.text, line.terminator)) {
        if (this.tokenizer.openedQuoteInLastScan) this.quoteLine = line.number;
        continue;
      }
      const { fields, error } = this.tokenizer.take();
      if (error !== undefined && this.pending.length > 1) {
        // A quoted line break led into a bad record: the quote is the likelier mistake, so only its line is bad.
        readAgain(this.abandonOpenRecord(`leads to an invalid record (${error})`, out));
        continue;
      }
      const lines = this.pending;
      const first = lines[0];
      const lastLine = lines[lines.length - 1].number;
      const text = lines.length === 1 ? first.text : joinLines(lines);
      out.push(error === undefined ? { line: first.number, lastLine, fields, text } : { line: first.number, lastLine, error: `not valid CSV: ${error}`, text });
      this.clearPending();
    }
  }

  /**
   * Drops the open record: its first line becomes a bad record (in `out`); the lines after it are returned, to be
   * read again.
   */
  private abandonOpenRecord(reason: string, out: CsvRecord[]): SourceLine[] {
    const [first, ...rest] = this.pending;
    out.push({
      line: first.number,
      lastLine: first.number,
      error: `not valid CSV: the quoted field opened on line ${this.quoteLine} ${reason}`,
      text: first.text,
    });
    this.clearPending();
    return rest;
  }

  private clearPending(): void {
    this.tokenizer.reset();
    this.pending = [];
    this.pendingBytes = 0;
    this.quoteLine = 0;
  }
}

function joinLines(lines: readonly SourceLine[]): string {
  let text = '';
  for (let i = 0; i < lines.length - 1; i++) text += lines[i].text + lines[i].terminator;
  return text + lines[lines.length - 1].text;
}
