import type { TypedArray } from '../protocol/datatypes';
import { elementCount, type TensorValue } from '../protocol/signature';

/** Concatenates same-named tensors of several requests along dimension 0. */
export function concatRows(parts: readonly TensorValue[]): TensorValue {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const rows = parts.reduce((sum, part) => sum + part.shape[0], 0);
  const shape = [rows, ...first.shape.slice(1)];
  if (Array.isArray(first.data)) return { datatype: first.datatype, shape, data: parts.flatMap((part) => part.data as string[]) };
  const data = new (first.data.constructor as new (length: number) => TypedArray)(elementCount(shape));
  let offset = 0;
  for (const part of parts) {
    (data as Float32Array).set(part.data as Float32Array, offset);
    offset += part.data.length;
  }
  return { datatype: first.datatype, shape, data };
}

/** Splits a tensor along dimension 0 into consecutive slices of the given row counts (views, no copies; BYTES: copies). */
export function splitRows(tensor: TensorValue, rowCounts: readonly number[]): TensorValue[] {
  const rowSize = elementCount(tensor.shape.slice(1));
  let offset = 0;
  return rowCounts.map((rows) => {
    const [from, to] = [offset * rowSize, (offset + rows) * rowSize];
    const data = Array.isArray(tensor.data) ? tensor.data.slice(from, to) : tensor.data.subarray(from, to);
    offset += rows;
    return { datatype: tensor.datatype, shape: [rows, ...tensor.shape.slice(1)], data };
  });
}
