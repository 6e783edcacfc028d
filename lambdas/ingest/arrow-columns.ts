import { Bool, Data, Field, Float64, Int32, TimestampMillisecond, Utf8, makeData, type DataType } from 'apache-arrow';
import type { CellValue } from '../../lib/contracts';

/**
 * A reusable, preallocated buffer for one column of one record batch. It fills Arrow's buffers directly (typed
 * arrays, one UTF-8 encode per batch) instead of going value by value through apache-arrow's builders, which was
 * the largest cost of the pipeline.
 */
export interface ColumnBuffer {
  set(index: number, value: CellValue): void;
  /** Arrow data for the first `length` values; valid until the next `set`. */
  toData(length: number): Data;
}

class Validity {
  readonly bits: Uint8Array;
  nulls = 0;
  constructor(capacity: number) {
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }
  mark(index: number, valid: boolean): void {
    if (valid) this.bits[index >> 3] |= 1 << (index & 7);
    else {
      this.bits[index >> 3] &= ~(1 << (index & 7));
      this.nulls++;
    }
  }
  take(length: number): { nullCount: number; nullBitmap: Uint8Array } {
    const nullCount = this.nulls;
    this.nulls = 0;
    return { nullCount, nullBitmap: nullCount === 0 ? new Uint8Array(0) : this.bits.subarray(0, Math.ceil(length / 8)) };
  }
}

class FixedWidthColumn<T extends Int32Array | Float64Array | BigInt64Array> implements ColumnBuffer {
  private readonly validity: Validity;
  constructor(
    private readonly type: DataType,
    private readonly values: T,
    private readonly store: (values: T, index: number, value: number) => void,
  ) {
    this.validity = new Validity(values.length);
  }
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    if (value !== null) this.store(this.values, index, value as number);
  }
  toData(length: number): Data {
    return makeData({ type: this.type, length, ...this.validity.take(length), data: this.values.subarray(0, length) } as never);
  }
}

class BoolColumn implements ColumnBuffer {
  private readonly validity: Validity;
  private readonly bits: Uint8Array;
  constructor(capacity: number) {
    this.validity = new Validity(capacity);
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    if (value === true) this.bits[index >> 3] |= 1 << (index & 7);
    else this.bits[index >> 3] &= ~(1 << (index & 7));
  }
  toData(length: number): Data {
    return makeData({ type: new Bool(), length, ...this.validity.take(length), data: this.bits.subarray(0, Math.ceil(length / 8)) });
  }
}

class Utf8Column implements ColumnBuffer {
  private readonly validity: Validity;
  private readonly values: string[];
  private readonly offsets: Int32Array;
  constructor(capacity: number) {
    this.validity = new Validity(capacity);
    this.values = new Array<string>(capacity).fill('');
    this.offsets = new Int32Array(capacity + 1);
  }
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    this.values[index] = value === null ? '' : (value as string);
  }
  toData(length: number): Data {
    const strings = length === this.values.length ? this.values : this.values.slice(0, length);
    const joined = strings.join('');
    const bytes = Buffer.from(joined, 'utf8');
    const offsets = this.offsets;
    if (bytes.length === joined.length) {
      // ASCII only: byte offsets equal string offsets.
      for (let i = 0, at = 0; i < length; i++) offsets[i + 1] = at += strings[i].length;
    } else {
      for (let i = 0, at = 0; i < length; i++) offsets[i + 1] = at += Buffer.byteLength(strings[i], 'utf8');
    }
    return makeData({ type: new Utf8(), length, ...this.validity.take(length), valueOffsets: offsets.subarray(0, length + 1), data: bytes });
  }
}

export function createColumnBuffer(field: Field, capacity: number): ColumnBuffer {
  const type = field.type as DataType;
  if (type instanceof Utf8) return new Utf8Column(capacity);
  if (type instanceof Bool) return new BoolColumn(capacity);
  if (type instanceof Int32) return new FixedWidthColumn(type, new Int32Array(capacity), (a, i, v) => (a[i] = v));
  if (type instanceof Float64) return new FixedWidthColumn(type, new Float64Array(capacity), (a, i, v) => (a[i] = v));
  if (type instanceof TimestampMillisecond) return new FixedWidthColumn(type, new BigInt64Array(capacity), (a, i, v) => (a[i] = BigInt(v)));
  throw new TypeError(`No column buffer for Arrow type ${String(type)} (field ${field.name})`);
}
