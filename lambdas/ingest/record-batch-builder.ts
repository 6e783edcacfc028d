import type { Schema } from 'apache-arrow';
import type { DatasetContract, ValidRow } from '../../lib/contracts';
import { createColumnBuffer, type ColumnBuffer, type ColumnData } from './arrow-columns';

/** One record batch as plain typed arrays (see ColumnData), ready to be transferred to the encoder's thread. */
export interface ColumnBatch {
  readonly length: number;
  readonly columns: readonly ColumnData[];
}

/** The buffers of a batch, for `postMessage`'s transfer list: moved to the other thread, not copied. */
export function transferablesOf(batch: ColumnBatch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of batch.columns) {
    for (const view of [column.nullBitmap, column.data, column.valueOffsets]) if (view) buffers.add(view.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/** Buffers up to `capacity` valid rows in Arrow column buffers and hands them out as one record batch. */
export class RecordBatchBuilder {
  private readonly columns: ColumnBuffer[];
  /** Rows buffered. */
  length = 0;

  constructor(
    contract: DatasetContract,
    schema: Schema,
    readonly capacity: number,
  ) {
    this.columns = contract.fields.map((field, i) => createColumnBuffer(field, schema.fields[i], capacity));
  }

  get isFull(): boolean {
    return this.length >= this.capacity;
  }

  /** Appends a row the full validator accepted. */
  appendRow(row: ValidRow): void {
    const index = this.length++;
    for (let i = 0; i < row.length; i++) this.columns[i].set(index, row[i]);
  }

  /**
   * Appends a record straight from its CSV bytes (field i at bytes[starts[i], ends[i]), in contract order) if every
   * field passes the contract's fast path; otherwise appends nothing and returns false.
   */
  tryAppendBytes(bytes: Uint8Array, starts: Int32Array, ends: Int32Array): boolean {
    const index = this.length;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      const start = starts[i];
      const end = ends[i];
      // One call site per column class (narrowed by `kind`) rather than one shared by five classes: each stays
      // monomorphic, so V8 inlines it.
      let ok: boolean;
      switch (column.kind) {
        case 'utf8':
          ok = column.setBytes(index, bytes, start, end);
          break;
        case 'int32':
          ok = column.setBytes(index, bytes, start, end);
          break;
        case 'float64':
          ok = column.setBytes(index, bytes, start, end);
          break;
        case 'timestamp':
          ok = column.setBytes(index, bytes, start, end);
          break;
        case 'bool':
          ok = column.setBytes(index, bytes, start, end);
          break;
      }
      if (!ok) return false;
    }
    this.length = index + 1;
    return true;
  }

  /** The buffered rows (possibly none) as a batch in buffers of its own; empties the builder. */
  takeBatch(): ColumnBatch {
    const length = this.length;
    this.length = 0;
    return { length, columns: this.columns.map((c) => c.take(length)) };
  }
}
