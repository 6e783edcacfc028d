import { endianness } from 'node:os';
import { BadRequestError } from '../errors';
import { datatypeSpec, type ProtocolDatatype, type TensorData } from './datatypes';
import { elementCount, formatShape, type TensorValue } from './signature';

/**
 * Triton's binary tensor data extension (KServe V2 REST): the body is a JSON header of `Inference-Header-Content-Length`
 * bytes followed by raw tensor data, each tensor little-endian, row-major, without padding; BOOL one byte (0 or 1); BYTES
 * elements each a 4-byte little-endian unsigned length followed by that many bytes. Listed as `binary_tensor_data` in
 * the server metadata.
 */
export const BINARY_TENSOR_DATA_EXTENSION = 'binary_tensor_data';
/** Header (lower case, as both adapters hand headers to the core) giving the length of a body's JSON part. */
export const INFERENCE_HEADER_LENGTH = 'inference-header-content-length';
export const BINARY_CONTENT_TYPE = 'application/octet-stream';

// Tensor bytes are copied into typed arrays as they are: correct on little-endian hosts (x86-64, arm64: every target).
if (endianness() !== 'LE') throw new Error('the binary tensor data extension needs a little-endian host');

/** An infer body split at `Inference-Header-Content-Length`. */
export interface InferBody {
  /** The JSON header; undefined for a raw binary request (header length 0: the whole body is one input's data). */
  readonly json: string | undefined;
  /** The bytes after the JSON header; undefined when the request has no Inference-Header-Content-Length. */
  readonly binary: Buffer | undefined;
}

/** Splits a body at its `Inference-Header-Content-Length` (absent: the whole body is JSON). */
export function splitInferBody(body: Buffer | string, headerLength: string | undefined): InferBody {
  if (headerLength === undefined) return { json: typeof body === 'string' ? body : body.toString('utf8'), binary: undefined };
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const length = /^\s*\d{1,15}\s*$/.test(headerLength) ? Number(headerLength) : Number.NaN;
  if (!Number.isSafeInteger(length)) {
    throw new BadRequestError(`Inference-Header-Content-Length must be a non-negative integer, got '${headerLength.slice(0, 40)}'`);
  }
  if (length > bytes.length) {
    throw new BadRequestError(`Inference-Header-Content-Length ${length} is past the end of the ${bytes.length}-byte body`);
  }
  if (length === 0) return { json: undefined, binary: bytes };
  return { json: bytes.toString('utf8', 0, length), binary: bytes.subarray(length) };
}

/** Bytes one element of a fixed-size datatype takes in binary form; undefined for BYTES (variable). */
export function binaryElementSize(datatype: ProtocolDatatype): number | undefined {
  const spec = datatypeSpec(datatype);
  return spec.kind === 'bytes' ? undefined : spec.byteSize;
}

/**
 * Decodes one input's binary data, whose size the caller has already checked against the shape for fixed-size
 * datatypes. The bytes are copied (the body buffer is not kept, and may be unaligned for the typed array).
 */
export function readBinaryTensor(name: string, datatype: ProtocolDatatype, shape: readonly number[], bytes: Uint8Array, allowNonFinite: boolean): TensorData {
  const spec = datatypeSpec(datatype);
  if (spec.kind === 'bytes') {
    const elements = readBytesElements(name, bytes, elementCount(shape));
    if (elements.length !== elementCount(shape)) {
      throw new BadRequestError(
        `input '${name}': shape ${formatShape(shape)} needs ${elementCount(shape)} BYTES elements, the binary data holds ${elements.length}`,
      );
    }
    return elements;
  }
  const out = spec.create(bytes.length / spec.byteSize);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  if (spec.kind === 'bool') {
    const bad = (out as Uint8Array).findIndex((value) => value > 1);
    if (bad >= 0) throw new BadRequestError(`input '${name}' element ${bad} (byte ${out[bad]}) is not a boolean (BOOL: 0 or 1)`);
  } else if (spec.kind === 'float' && !allowNonFinite) {
    const bad = (out as Float32Array).findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new BadRequestError(
        `input '${name}' element ${bad} (${out[bad]}) is not finite in ${datatype}; NaN and Infinity are rejected unless the model config sets allowNonFinite`,
      );
    }
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * BYTES elements: 4-byte little-endian length, then the bytes, repeated to the end of the data. Stops with a 400 as soon
 * as more than `maxElements` are found, so a hostile shape/size pair costs no more than reading the data once.
 */
export function readBytesElements(name: string, bytes: Uint8Array, maxElements: number): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const index = elements.length;
    if (index >= maxElements) throw new BadRequestError(`input '${name}': the binary data holds more than the ${maxElements} BYTES elements its shape allows`);
    if (offset + 4 > bytes.length)
      throw new BadRequestError(
        `input '${name}' BYTES element ${index}: the 4-byte length prefix at offset ${offset} runs past the tensor's ${bytes.length} bytes`,
      );
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > bytes.length) {
      throw new BadRequestError(
        `input '${name}' BYTES element ${index}: length ${length} at offset ${offset - 4} runs past the tensor's ${bytes.length} bytes`,
      );
    }
    elements.push(bytesElement(name, index, bytes.subarray(offset, offset + length)));
    offset += length;
  }
  return elements;
}

/** One BYTES element as the string onnxruntime-node takes: UTF-8 without NUL (its string tensors stop at a NUL). */
export function bytesElement(name: string, index: number, raw: Uint8Array): string {
  if (raw.includes(0)) throw new BadRequestError(`input '${name}' BYTES element ${index} contains a NUL byte, which onnxruntime's string tensors cannot carry`);
  try {
    return UTF8.decode(raw);
  } catch {
    throw new BadRequestError(`input '${name}' BYTES element ${index} is not valid UTF-8 (onnxruntime's string tensors hold text)`);
  }
}

/** An output tensor as binary data: its typed array's bytes as they are, or each BYTES element length-prefixed. */
export function binaryTensorBytes(tensor: TensorValue): Buffer {
  if (Array.isArray(tensor.data)) {
    const encoded = tensor.data.map((element) => Buffer.from(element, 'utf8'));
    const out = Buffer.allocUnsafe(encoded.reduce((sum, element) => sum + 4 + element.length, 0));
    let offset = 0;
    for (const element of encoded) {
      out.writeUInt32LE(element.length, offset);
      element.copy(out, offset + 4);
      offset += 4 + element.length;
    }
    return out;
  }
  const data = tensor.data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
