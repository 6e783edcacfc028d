import type { Tensor } from 'onnxruntime-node';

/** Open Inference Protocol tensor datatypes. */
export const PROTOCOL_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type ProtocolDatatype = (typeof PROTOCOL_DATATYPES)[number];

export type TypedArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigUint64Array | BigInt64Array | Float32Array | Float64Array;

/** A tensor's elements, row-major: a typed array, or strings for BYTES (onnxruntime's string tensors). */
export type TensorData = TypedArray | string[];

type NumericKind = 'bool' | 'int' | 'bigint' | 'float';

interface NumericSpec {
  readonly ort: Tensor.Type;
  readonly create: (length: number) => TypedArray;
  readonly kind: NumericKind;
  /** Bytes per element in the binary tensor data extension (native size, little-endian). */
  readonly byteSize: number;
  readonly min?: number;
  readonly max?: number;
}

interface BytesSpec {
  readonly ort: 'string';
  readonly create: (length: number) => string[];
  readonly kind: 'bytes';
}

type DatatypeSpec = NumericSpec | BytesSpec;

/**
 * Datatypes this server can decode (JSON or binary) and feed to onnxruntime. FP16 is not among them. BYTES elements
 * travel as UTF-8 strings: onnxruntime-node's string tensors are JavaScript strings and stop at a NUL byte.
 */
const SUPPORTED: Partial<Record<ProtocolDatatype, DatatypeSpec>> = {
  BOOL: { ort: 'bool', create: (n) => new Uint8Array(n), kind: 'bool', byteSize: 1 },
  UINT8: { ort: 'uint8', create: (n) => new Uint8Array(n), kind: 'int', byteSize: 1, min: 0, max: 0xff },
  UINT16: { ort: 'uint16', create: (n) => new Uint16Array(n), kind: 'int', byteSize: 2, min: 0, max: 0xffff },
  UINT32: { ort: 'uint32', create: (n) => new Uint32Array(n), kind: 'int', byteSize: 4, min: 0, max: 0xffffffff },
  UINT64: { ort: 'uint64', create: (n) => new BigUint64Array(n), kind: 'bigint', byteSize: 8, min: 0, max: Number.MAX_SAFE_INTEGER },
  INT8: { ort: 'int8', create: (n) => new Int8Array(n), kind: 'int', byteSize: 1, min: -0x80, max: 0x7f },
  INT16: { ort: 'int16', create: (n) => new Int16Array(n), kind: 'int', byteSize: 2, min: -0x8000, max: 0x7fff },
  INT32: { ort: 'int32', create: (n) => new Int32Array(n), kind: 'int', byteSize: 4, min: -0x80000000, max: 0x7fffffff },
  INT64: { ort: 'int64', create: (n) => new BigInt64Array(n), kind: 'bigint', byteSize: 8, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  FP32: { ort: 'float32', create: (n) => new Float32Array(n), kind: 'float', byteSize: 4 },
  FP64: { ort: 'float64', create: (n) => new Float64Array(n), kind: 'float', byteSize: 8 },
  BYTES: { ort: 'string', create: (n) => new Array<string>(n).fill(''), kind: 'bytes' },
};

const FROM_ORT: Record<string, ProtocolDatatype> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
};

export const SUPPORTED_DATATYPES = Object.keys(SUPPORTED) as ProtocolDatatype[];

export function isSupported(datatype: ProtocolDatatype): boolean {
  return SUPPORTED[datatype] !== undefined;
}

export function datatypeSpec(datatype: ProtocolDatatype): DatatypeSpec {
  const spec = SUPPORTED[datatype];
  if (spec === undefined) throw new Error(`datatype ${datatype} is not supported`);
  return spec;
}

/** Protocol datatype of an onnxruntime tensor type; undefined for types the protocol cannot express. */
export function datatypeFromOrt(type: string): ProtocolDatatype | undefined {
  return FROM_ORT[type];
}

/** Converts an output tensor's data to JSON-safe numbers/booleans/strings (64-bit integers lose precision beyond 2^53). */
export function toJsonArray(datatype: ProtocolDatatype, data: ArrayLike<unknown>): unknown[] {
  if (datatype === 'BYTES') return data as string[];
  if (datatype === 'BOOL') return Array.from(data as Uint8Array, (v) => v !== 0);
  if (datatype === 'INT64' || datatype === 'UINT64') return Array.from(data as BigInt64Array, (v) => Number(v));
  return Array.from(data as ArrayLike<number>);
}
