import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { PoisonObjectError } from './errors';

/** One CSV record: its fields, or why its text is not valid CSV. */
export type CsvRecord =
  | { readonly line: number; readonly fields: string[]; readonly text?: undefined; readonly error?: undefined }
  | { readonly line: number; readonly fields?: undefined; readonly text: string; readonly error: string };

function quoteCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) count++;
  return count;
}

function parseQuotedRecord(line: number, text: string): CsvRecord {
  try {
    const records: string[][] = parseCsv(text, { relax_column_count: true });
    return { line, fields: records[0] ?? [''] };
  } catch (error) {
    if (error instanceof CsvError) return { line, text, error: `not valid CSV: ${error.message}` };
    throw error;
  }
}

/**
 * Turns the lines of a CSV object (RFC 4180, comma-separated, optional BOM) into records, skipping blank lines.
 * A line without a quote is split on commas directly (the common case, and exact for RFC 4180); a record with
 * quotes is gathered across lines until its quotes balance and parsed by csv-parse. A record whose quotes balance
 * but are misplaced is returned with its error (it will be quarantined); a quoted field still open at the end of
 * the object poisons the object.
 */
export class CsvRecordSplitter {
  private pending: string | undefined;
  private pendingStart = 0;
  private pendingQuotes = 0;

  /** True while a quoted record spans lines: the next line belongs to it. */
  get inRecord(): boolean {
    return this.pending !== undefined;
  }

  push(text: string, lineNumber: number): CsvRecord | undefined {
    if (lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.pending === undefined) {
      if (text === '') return undefined;
      if (text.indexOf('"') < 0) return { line: lineNumber, fields: text.split(',') };
      this.pending = text;
      this.pendingStart = lineNumber;
      this.pendingQuotes = quoteCount(text);
    } else {
      this.pending += `\n${text}`;
      this.pendingQuotes += quoteCount(text);
    }
    if (this.pendingQuotes % 2 === 1) return undefined;
    const record = parseQuotedRecord(this.pendingStart, this.pending);
    this.pending = undefined;
    return record;
  }

  end(): void {
    if (this.pending !== undefined) {
      throw new PoisonObjectError(`not valid CSV: the quoted field opened on line ${this.pendingStart} is never closed`);
    }
  }
}
