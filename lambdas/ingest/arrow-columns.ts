import { Bool, Field, Float64, Int32, TimestampMillisecond, Utf8, type DataType } from 'apache-arrow';
import {
  FastStringCheck,
  fastBounds,
  parseBooleanBytes,
  parseDecimalBytes,
  parseIntegerBytes,
  parseTimestampBytes,
  type CellValue,
  type FieldContract,
} from '../../lib/contracts';

/**
 * Reusable, preallocated buffers for one column of one record batch, filled straight into Arrow's buffers (typed
 * arrays) rather than through apache-arrow's builders. Rows are written at an index; a row written but not committed
 * by the caller is simply overwritten by the next one.
 *
 * `setBytes` is the contract's fast path: it stores the field from its CSV bytes and returns true, or returns false
 * (the record then goes through the full validator). An empty field is a null if the field is optional, and deferred
 * if it is required. Each column type is its own class with no virtual calls inside, so that the hot loop
 * (RecordBatchBuilder.tryAppendBytes) calls each monomorphically and V8 inlines it.
 */
export type ColumnBuffer = Utf8Column | Int32Column | Float64Column | TimestampColumn | BoolColumn;

/**
 * One column of a record batch as the properties of apache-arrow's `makeData` (all but the type, which the schema
 * gives), in buffers of their own so that they can be transferred to the encoder's thread.
 */
export interface ColumnData {
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap: Uint8Array;
  readonly data: Uint8Array | Int32Array | Float64Array | BigInt64Array;
  readonly valueOffsets?: Int32Array;
}

/** Validity of each row, one byte per row while the batch fills (a plain store per field), packed into bits once per batch. */
class Validity {
  private readonly valid: Uint8Array;
  constructor(capacity: number) {
    this.valid = new Uint8Array(capacity);
  }
  mark(index: number, valid: boolean): void {
    this.valid[index] = valid ? 1 : 0;
  }
  take(length: number): { nullCount: number; nullBitmap: Uint8Array } {
    const valid = this.valid;
    let nullCount = 0;
    for (let i = 0; i < length; i++) nullCount += 1 - valid[i];
    if (nullCount === 0) return { nullCount, nullBitmap: new Uint8Array(0) };
    const bits = new Uint8Array(Math.ceil(length / 8));
    for (let i = 0; i < length; i++) bits[i >> 3] |= valid[i] << (i & 7);
    return { nullCount, nullBitmap: bits };
  }
}

export class Utf8Column {
  readonly kind = 'utf8';
  private readonly validity: Validity;
  private readonly offsets: Int32Array;
  private data: Buffer;
  private readonly check: FastStringCheck;
  constructor(
    private readonly field: FieldContract,
    capacity: number,
  ) {
    this.validity = new Validity(capacity);
    this.offsets = new Int32Array(capacity + 1);
    this.data = Buffer.allocUnsafe(capacity * 16);
    this.check = new FastStringCheck(field);
  }
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    const text = value === null ? '' : (value as string);
    const at = this.offsets[index];
    this.reserve(at + Buffer.byteLength(text, 'utf8'));
    this.offsets[index + 1] = at + this.data.write(text, at, 'utf8');
  }
  setBytes(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const at = this.offsets[index];
    if (start === end) {
      this.validity.mark(index, false);
      this.offsets[index + 1] = at;
      return !this.field.required;
    }
    if (!this.check.accepts(bytes, start, end)) return false;
    this.validity.mark(index, true);
    const length = end - start;
    if (at + length > this.data.length) this.reserve(at + length);
    // A loop beats a native copy call for the few bytes of a typical field.
    const data = this.data;
    for (let i = 0; i < length; i++) data[at + i] = bytes[start + i];
    this.offsets[index + 1] = at + length;
    return true;
  }
  take(length: number): ColumnData {
    const valueOffsets = this.offsets.slice(0, length + 1);
    return { length, ...this.validity.take(length), valueOffsets, data: new Uint8Array(this.data.subarray(0, valueOffsets[length])) };
  }
  private reserve(bytes: number): void {
    if (bytes <= this.data.length) return;
    const grown = Buffer.allocUnsafe(Math.max(bytes, this.data.length * 2));
    this.data.copy(grown);
    this.data = grown;
  }
}

/** A 32-bit integer or float64 column: the two differ only in their typed array and how a cell's text parses. */
abstract class NumericColumn<Values extends Int32Array | Float64Array> {
  private readonly validity: Validity;
  private readonly min: number;
  private readonly max: number;
  constructor(
    private readonly field: FieldContract,
    private readonly values: Values,
  ) {
    this.validity = new Validity(values.length);
    ({ min: this.min, max: this.max } = fastBounds(field));
  }
  protected abstract parse(bytes: Uint8Array, start: number, end: number): number;
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    if (value !== null) this.values[index] = value as number;
  }
  setBytes(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (start === end) {
      this.validity.mark(index, false);
      return !this.field.required;
    }
    const n = this.parse(bytes, start, end);
    if (!(n >= this.min && n <= this.max)) return false; // also for NaN
    this.validity.mark(index, true);
    this.values[index] = n;
    return true;
  }
  take(length: number): ColumnData {
    return { length, ...this.validity.take(length), data: this.values.slice(0, length) };
  }
}

export class Int32Column extends NumericColumn<Int32Array> {
  readonly kind = 'int32';
  constructor(field: FieldContract, capacity: number) {
    super(field, new Int32Array(capacity));
  }
  protected parse(bytes: Uint8Array, start: number, end: number): number {
    return parseIntegerBytes(bytes, start, end);
  }
}

export class Float64Column extends NumericColumn<Float64Array> {
  readonly kind = 'float64';
  constructor(field: FieldContract, capacity: number) {
    super(field, new Float64Array(capacity));
  }
  protected parse(bytes: Uint8Array, start: number, end: number): number {
    return parseDecimalBytes(bytes, start, end);
  }
}

const TWO_POW_32 = 2 ** 32;

export class TimestampColumn {
  readonly kind = 'timestamp';
  private readonly validity: Validity;
  private readonly values: BigInt64Array;
  private readonly words: Uint32Array;
  constructor(
    private readonly field: FieldContract,
    capacity: number,
  ) {
    this.validity = new Validity(capacity);
    this.values = new BigInt64Array(capacity);
    this.words = new Uint32Array(this.values.buffer);
  }
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    if (value !== null) this.store(index, value as number);
  }
  setBytes(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (start === end) {
      this.validity.mark(index, false);
      return !this.field.required;
    }
    const ms = parseTimestampBytes(bytes, start, end);
    if (Number.isNaN(ms)) return false;
    this.validity.mark(index, true);
    this.store(index, ms);
    return true;
  }
  take(length: number): ColumnData {
    return { length, ...this.validity.take(length), data: this.values.slice(0, length) };
  }
  /** Writes the int64 as two little-endian 32-bit words: no BigInt allocated per value (ms < 2^53 is exact). */
  private store(index: number, ms: number): void {
    const high = Math.floor(ms / TWO_POW_32);
    this.words[2 * index] = ms - high * TWO_POW_32;
    this.words[2 * index + 1] = high; // a negative high word wraps to its two's complement
  }
}

export class BoolColumn {
  readonly kind = 'bool';
  private readonly validity: Validity;
  private readonly bits: Uint8Array;
  constructor(
    private readonly field: FieldContract,
    capacity: number,
  ) {
    this.validity = new Validity(capacity);
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }
  set(index: number, value: CellValue): void {
    this.validity.mark(index, value !== null);
    this.store(index, value === true);
  }
  setBytes(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (start === end) {
      this.validity.mark(index, false);
      return !this.field.required;
    }
    const b = parseBooleanBytes(bytes, start, end);
    if (Number.isNaN(b)) return false;
    this.validity.mark(index, true);
    this.store(index, b === 1);
    return true;
  }
  take(length: number): ColumnData {
    return { length, ...this.validity.take(length), data: this.bits.slice(0, Math.ceil(length / 8)) };
  }
  private store(index: number, value: boolean): void {
    if (value) this.bits[index >> 3] |= 1 << (index & 7);
    else this.bits[index >> 3] &= ~(1 << (index & 7));
  }
}

export function createColumnBuffer(field: FieldContract, arrowField: Field, capacity: number): ColumnBuffer {
  const type = arrowField.type as DataType;
  if (type instanceof Utf8) return new Utf8Column(field, capacity);
  if (type instanceof Bool) return new BoolColumn(field, capacity);
  if (type instanceof Int32) return new Int32Column(field, capacity);
  if (type instanceof Float64) return new Float64Column(field, capacity);
  if (type instanceof TimestampMillisecond) return new TimestampColumn(field, capacity);
  throw new TypeError(`No column buffer for Arrow type ${type.constructor.name} (field ${field.name})`);
}
