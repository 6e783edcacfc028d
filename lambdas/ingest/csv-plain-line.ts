const COMMA = 44;
const QUOTE = 34;

/**
 * Finds the fields of a CSV line that holds no quote (the common case, where RFC 4180 fields are exactly the text
 * between commas) in its bytes, and lists them in contract field order; any other line is left to CsvRecordSplitter.
 */
export class PlainCsvLine {
  /** Field i of the contract is bytes[starts[i], ends[i]) after a successful `split`. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private readonly fieldOfColumn: Int32Array;

  /** @param columnOfField for each contract field, the index of its CSV column (from the header) */
  constructor(columnOfField: readonly number[]) {
    this.starts = new Int32Array(columnOfField.length);
    this.ends = new Int32Array(columnOfField.length);
    this.fieldOfColumn = new Int32Array(columnOfField.length);
    columnOfField.forEach((column, field) => (this.fieldOfColumn[column] = field));
  }

  /** False when the line holds a quote or does not have exactly one column per contract field. */
  split(bytes: Uint8Array, start: number, end: number): boolean {
    const { starts, ends, fieldOfColumn } = this;
    const last = fieldOfColumn.length - 1;
    let column = 0;
    let columnStart = start;
    for (let at = start; at < end; at++) {
      const c = bytes[at];
      if (c === COMMA) {
        if (column === last) return false;
        const field = fieldOfColumn[column++];
        starts[field] = columnStart;
        ends[field] = at;
        columnStart = at + 1;
      } else if (c === QUOTE) return false;
    }
    if (column !== last) return false;
    const field = fieldOfColumn[column];
    starts[field] = columnStart;
    ends[field] = end;
    return true;
  }
}
