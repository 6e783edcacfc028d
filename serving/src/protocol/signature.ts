import type { ProtocolDatatype, TensorData } from './datatypes';

/** One input or output of a model as the protocol describes it: -1 marks a dynamic dimension. */
export interface TensorSpec {
  readonly name: string;
  readonly datatype: ProtocolDatatype;
  readonly shape: readonly number[];
}

export interface ModelSignature {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

/** A decoded tensor, ready for onnxruntime. */
export interface TensorValue {
  readonly datatype: ProtocolDatatype;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * A model is batchable along dimension 0 when every input and output has a dynamic
 * leading dimension: requests can then be concatenated and the results split back.
 */
export function isBatchable(signature: ModelSignature): boolean {
  const all = [...signature.inputs, ...signature.outputs];
  return all.length > 0 && all.every((t) => t.shape.length > 0 && t.shape[0] === -1);
}
