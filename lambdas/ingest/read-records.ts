import { compileObjectValidator, compileValidator, matchHeader, type DatasetContract, type RecordValidation, type RecordValidator } from '../../lib/contracts';
import { CsvRecordReader, type CsvRecord } from './csv-records';
import { PlainCsvLine } from './csv-plain-line';
import { PoisonObjectError } from './errors';
import type { IngestLimits } from './ingest-limits';
import { nestsDeeperThan } from './json-depth';
import type { RecordBatchBuilder } from './record-batch-builder';
import type { SourceFormat } from './source-object';
import type { SourceLine } from './source-line';

/** One record of a source object: the lines it spans, the verdict of the contract, and for a rejected record what was read. */
export interface SourceRecord {
  /** 1-based line number in the source object where the record starts. */
  readonly line: number;
  /** Where it ends (a CSV record with quoted line breaks spans several lines). */
  readonly lastLine: number;
  readonly validation: RecordValidation;
  /**
   * Rejected records only: a header → value object for CSV (the field list when the column count is wrong), the
   * parsed JSON, or the raw text when unparseable.
   */
  readonly raw?: unknown;
}

/** Why a line over `maxRecordBytes` was not read; `prefix` is its start, kept for the quarantine record. */
export interface OverlongLine {
  readonly number: number;
  readonly bytes: number;
  readonly prefix: string;
}

/**
 * Decodes the lines of one source object into validated records, synchronously (one call per line keeps the hot
 * loop free of per-record promises). Every non-blank line read ends up in exactly one record.
 */
export interface RecordDecoder {
  /**
   * The fast path, tried first on every line: appends the line to `rows` straight from its bytes when it is a whole,
   * plainly written record that surely meets the contract, and returns true; otherwise returns false and changes
   * nothing, and the line must be decoded to text and given to `push`.
   */
  tryAppendValid(bytes: Uint8Array, start: number, end: number, rows: RecordBatchBuilder): boolean;
  /** The records this line completes: usually none or one (a CSV quoted field left open can give back several). */
  push(line: SourceLine): SourceRecord[];
  /** A line longer than maxRecordBytes: a rejected record of its own (and the end of any record left open). */
  pushOverlong(line: OverlongLine): SourceRecord[];
  /** Call after the last line; throws PoisonObjectError when the object held no header. */
  end(): SourceRecord[];
}

export function createRecordDecoder(format: SourceFormat, contract: DatasetContract, limits: IngestLimits): RecordDecoder {
  return format === 'csv' ? new CsvRecordDecoder(contract, limits) : new JsonLinesRecordDecoder(contract, limits);
}

function rejected(line: number, lastLine: number, reasons: string[], raw: unknown): SourceRecord {
  return { line, lastLine, validation: { ok: false, reasons }, raw };
}

function overlongReason(line: OverlongLine, limits: IngestLimits): string {
  return `line is ${line.bytes} bytes, over the limit of ${limits.maxRecordBytes} (maxRecordBytes); only its first ${line.prefix.length} characters are kept here`;
}

function invalidUtf8Reason(line: SourceLine): string {
  return `line ${line.number} is not valid UTF-8 at byte ${line.invalidUtf8At} (stored here with U+FFFD in place of the bad bytes)`;
}

/** CSV with a header row. A header that does not match the contract poisons the object (so does binary garbage). */
export class CsvRecordDecoder implements RecordDecoder {
  private readonly reader: CsvRecordReader;
  private readonly validate: RecordValidator;
  private header: string[] | undefined;
  private columnOfField: number[] = [];
  private plainLine: PlainCsvLine | undefined;
  /** Lines not valid UTF-8 among those of the record in progress, by line number. */
  private readonly invalidUtf8 = new Map<number, SourceLine>();

  constructor(
    private readonly contract: DatasetContract,
    private readonly limits: IngestLimits,
  ) {
    this.reader = new CsvRecordReader(limits.maxRecordBytes);
    this.validate = compileValidator(contract);
  }

  tryAppendValid(bytes: Uint8Array, start: number, end: number, rows: RecordBatchBuilder): boolean {
    const line = this.plainLine;
    if (line === undefined || start === end || this.reader.inRecord || !line.split(bytes, start, end)) return false;
    return rows.tryAppendBytes(bytes, line.starts, line.ends);
  }

  push(line: SourceLine): SourceRecord[] {
    if (line.invalidUtf8At >= 0) this.invalidUtf8.set(line.number, line);
    return this.toSourceRecords(this.reader.push(line));
  }

  pushOverlong(line: OverlongLine): SourceRecord[] {
    if (!this.header)
      throw new PoisonObjectError(`CSV header on line ${line.number} is ${line.bytes} bytes, over the limit of ${this.limits.maxRecordBytes} (maxRecordBytes)`);
    const records = this.toSourceRecords(this.reader.interrupt(`is not closed before line ${line.number}, which is over maxRecordBytes`));
    records.push(rejected(line.number, line.number, [overlongReason(line, this.limits)], line.prefix));
    return records;
  }

  end(): SourceRecord[] {
    const records = this.toSourceRecords(this.reader.end());
    if (!this.header) throw new PoisonObjectError('CSV object is empty: no header row');
    return records;
  }

  private toSourceRecords(records: CsvRecord[]): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (const record of records) {
      const read = this.toSourceRecord(record);
      if (read) out.push(read);
    }
    return out;
  }

  private toSourceRecord(record: CsvRecord): SourceRecord | undefined {
    const { line, lastLine, fields } = record;
    const badUtf8: string[] = [];
    for (let number = line; number <= lastLine && this.invalidUtf8.size > 0; number++) {
      const bad = this.invalidUtf8.get(number);
      if (bad === undefined) continue;
      this.invalidUtf8.delete(number);
      badUtf8.push(invalidUtf8Reason(bad));
    }
    const header = this.header;
    if (!header) {
      this.readHeader(record);
      return undefined;
    }
    if (fields === undefined) return rejected(line, lastLine, [record.error!, ...badUtf8], record.text);
    if (fields.length !== header.length) {
      return rejected(line, lastLine, [`expected ${header.length} columns, got ${fields.length}`, ...badUtf8], fields);
    }
    const values = new Array<string>(this.columnOfField.length);
    for (let i = 0; i < values.length; i++) values[i] = fields[this.columnOfField[i]];
    const validation = badUtf8.length > 0 ? { ok: false as const, reasons: badUtf8 } : this.validate(values);
    if (validation.ok) return { line, lastLine, validation };
    return { line, lastLine, validation, raw: Object.fromEntries(header.map((column, i) => [column, fields[i]])) };
  }

  private readHeader(record: CsvRecord): void {
    if (record.fields === undefined) throw new PoisonObjectError(`CSV header on line ${record.line} is ${record.error}`);
    const match = matchHeader(this.contract, record.fields);
    if (!match.ok) {
      throw new PoisonObjectError(`CSV header does not match contract ${this.contract.dataset} v${this.contract.version}: ${match.problems.join('; ')}`);
    }
    this.header = record.fields;
    this.columnOfField = match.columnOfField;
    this.plainLine = new PlainCsvLine(match.columnOfField);
  }
}

/** Deepest nesting read from a JSON Lines record: records are flat objects, so this leaves room and bounds the work. */
export const MAX_JSON_DEPTH = 64;

/** JSON Lines: one object per line. A first record that is not JSON poisons the object; later bad lines are quarantined. */
export class JsonLinesRecordDecoder implements RecordDecoder {
  private readonly validate: (record: Readonly<Record<string, unknown>>) => RecordValidation;
  private seenRecord = false;

  constructor(
    contract: DatasetContract,
    private readonly limits: IngestLimits,
  ) {
    this.validate = compileObjectValidator(contract);
  }

  tryAppendValid(): boolean {
    return false;
  }

  push(line: SourceLine): SourceRecord[] {
    const record = this.read(line);
    return record === undefined ? [] : [record];
  }

  pushOverlong(line: OverlongLine): SourceRecord[] {
    this.seenRecord = true;
    return [rejected(line.number, line.number, [overlongReason(line, this.limits)], line.prefix)];
  }

  end(): SourceRecord[] {
    // An object of blank lines only holds no records: nothing to ingest, nothing lost.
    return [];
  }

  private read(line: SourceLine): SourceRecord | undefined {
    const { text, number } = line;
    if (text.trim() === '') return undefined;
    if (line.invalidUtf8At >= 0 && this.seenRecord) return rejected(number, number, [invalidUtf8Reason(line)], text);
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      this.seenRecord = true;
      return rejected(number, number, [`nested deeper than ${MAX_JSON_DEPTH} levels`], text);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const problem = (error as Error).message;
      if (!this.seenRecord) throw new PoisonObjectError(`not JSON Lines: line ${number} is not JSON (${problem})`);
      return rejected(number, number, [`not valid JSON: ${problem}`], text);
    }
    this.seenRecord = true;
    if (line.invalidUtf8At >= 0) return rejected(number, number, [invalidUtf8Reason(line)], parsed);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return rejected(number, number, ['expected a JSON object'], parsed);
    const validation = this.validate(parsed as Record<string, unknown>);
    return validation.ok ? { line: number, lastLine: number, validation } : { line: number, lastLine: number, validation, raw: parsed };
  }
}
