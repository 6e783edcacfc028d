import { compileObjectValidator, compileValidator, matchHeader, type DatasetContract, type RecordValidation, type RecordValidator } from '../../lib/contracts';
import { CsvRecordSplitter, type CsvRecord } from './csv-lines';
import { PlainCsvLine } from './csv-plain-line';
import { PoisonObjectError } from './errors';
import type { RecordBatchBuilder } from './record-batch-builder';
import type { SourceFormat } from './source-object';

/** One record of a source object: where it was and the verdict of the contract. */
export interface SourceRecord {
  /** 1-based line number in the source object where the record starts. */
  readonly line: number;
  readonly validation: RecordValidation;
}

/**
 * Decodes the lines of one source object into validated records, synchronously (one call per line keeps the hot
 * loop free of per-record promises). `push` returns undefined for lines that are not (yet) a whole record.
 */
export interface RecordDecoder {
  /**
   * The fast path, tried first on every line: appends the line to `rows` straight from its bytes when it is a whole,
   * plainly written record that surely meets the contract, and returns true; otherwise returns false and changes
   * nothing, and the line must be decoded to text and given to `push`.
   */
  tryAppendValid(bytes: Uint8Array, start: number, end: number, rows: RecordBatchBuilder): boolean;
  push(text: string, lineNumber: number): SourceRecord | undefined;
  /**
   * The last record returned by `push`, as read: a header → value object for CSV (the field list when the column
   * count is wrong), the parsed JSON, or the raw text when unparseable. Built on demand, for rejected records only.
   */
  lastRaw(): unknown;
  /** Call after the last line; throws PoisonObjectError when the object ended inside a record or held none. */
  end(): void;
}

export function createRecordDecoder(format: SourceFormat, contract: DatasetContract): RecordDecoder {
  return format === 'csv' ? new CsvRecordDecoder(contract) : new JsonLinesRecordDecoder(contract);
}

/** CSV with a header row. A header that does not match the contract poisons the object (so does binary garbage). */
export class CsvRecordDecoder implements RecordDecoder {
  private readonly splitter = new CsvRecordSplitter();
  private readonly validate: RecordValidator;
  private header: string[] | undefined;
  private columnOfField: number[] = [];
  private plainLine: PlainCsvLine | undefined;
  private last: CsvRecord | undefined;

  constructor(private readonly contract: DatasetContract) {
    this.validate = compileValidator(contract);
  }

  tryAppendValid(bytes: Uint8Array, start: number, end: number, rows: RecordBatchBuilder): boolean {
    const line = this.plainLine;
    if (line === undefined || start === end || this.splitter.inRecord || !line.split(bytes, start, end)) return false;
    return rows.tryAppendBytes(bytes, line.starts, line.ends);
  }

  push(text: string, lineNumber: number): SourceRecord | undefined {
    const record = this.splitter.push(text, lineNumber);
    if (!record) return undefined;
    const { line, fields } = record;
    const header = this.header;
    if (!header) {
      this.readHeader(record.fields, record.error, line);
      return undefined;
    }
    this.last = record;
    if (fields === undefined) return { line, validation: { ok: false, reasons: [record.error] } };
    if (fields.length !== header.length) {
      return { line, validation: { ok: false, reasons: [`expected ${header.length} columns, got ${fields.length}`] } };
    }
    const values = new Array<string>(this.columnOfField.length);
    for (let i = 0; i < values.length; i++) values[i] = fields[this.columnOfField[i]];
    return { line, validation: this.validate(values) };
  }

  lastRaw(): unknown {
    const record = this.last;
    if (!record || !this.header) return undefined;
    if (record.fields === undefined) return record.text;
    const fields = record.fields;
    return fields.length === this.header.length ? Object.fromEntries(this.header.map((c, i) => [c, fields[i]])) : fields;
  }

  end(): void {
    this.splitter.end();
    if (!this.header) throw new PoisonObjectError('CSV object is empty: no header row');
  }

  private readHeader(fields: string[] | undefined, error: string | undefined, line: number): void {
    if (fields === undefined) throw new PoisonObjectError(`CSV header on line ${line} is ${error}`);
    const match = matchHeader(this.contract, fields);
    if (!match.ok) {
      throw new PoisonObjectError(`CSV header does not match contract ${this.contract.dataset} v${this.contract.version}: ${match.problems.join('; ')}`);
    }
    this.header = fields;
    this.columnOfField = match.columnOfField;
    this.plainLine = new PlainCsvLine(match.columnOfField);
  }
}

/** JSON Lines: one object per line. A first record that is not JSON poisons the object; later bad lines are quarantined. */
export class JsonLinesRecordDecoder implements RecordDecoder {
  private readonly validate: (record: Readonly<Record<string, unknown>>) => RecordValidation;
  private seenRecord = false;
  private last: unknown;

  constructor(contract: DatasetContract) {
    this.validate = compileObjectValidator(contract);
  }

  tryAppendValid(): boolean {
    return false;
  }

  push(text: string, line: number): SourceRecord | undefined {
    if (text.trim() === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const problem = (error as Error).message;
      if (!this.seenRecord) throw new PoisonObjectError(`not JSON Lines: line ${line} is not JSON (${problem})`);
      this.last = text;
      return { line, validation: { ok: false, reasons: [`not valid JSON: ${problem}`] } };
    }
    this.seenRecord = true;
    this.last = parsed;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { line, validation: { ok: false, reasons: ['expected a JSON object'] } };
    }
    return { line, validation: this.validate(parsed as Record<string, unknown>) };
  }

  lastRaw(): unknown {
    return this.last;
  }

  end(): void {
    // An object of blank lines only holds no records: nothing to ingest, nothing lost.
  }
}
