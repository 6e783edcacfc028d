import { binaryTensorBytes } from './binary-tensor';
import { toJsonArray } from './datatypes';
import { float32ArrayJson } from './float32-json';
import type { TensorValue } from './signature';

export interface InferResult {
  readonly modelName: string;
  readonly modelVersion: string;
  readonly id?: string;
  /** Output tensors by name, in the order the client asked for them. */
  readonly outputs: ReadonlyMap<string, TensorValue>;
}

/** A response body: JSON text, or (binary tensor data extension) a JSON header of `headerLength` bytes + tensor bytes. */
export type EncodedInferResponse = { readonly body: string; readonly headerLength?: undefined } | { readonly body: Buffer; readonly headerLength: number };

/** Serializes an infer result as an Open Inference Protocol JSON response body. */
export function encodeInferResponse(result: InferResult): string {
  return encodeHeader(result, undefined);
}

/**
 * Serializes an infer result with the outputs named in `binaryOutputs` as binary data after the JSON header (their JSON
 * carries `parameters.binary_data_size` instead of `data`), in the order of the outputs; plain JSON when none is.
 */
export function encodeInferResponseBody(result: InferResult, binaryOutputs: ReadonlySet<string>): EncodedInferResponse {
  if (binaryOutputs.size === 0) return { body: encodeHeader(result, undefined) };
  const parts: Buffer[] = [];
  const sizes = new Map<string, number>();
  for (const [name, tensor] of result.outputs) {
    if (!binaryOutputs.has(name)) continue;
    const bytes = binaryTensorBytes(tensor);
    sizes.set(name, bytes.length);
    parts.push(bytes);
  }
  const header = Buffer.from(encodeHeader(result, sizes), 'utf8');
  return { body: Buffer.concat([header, ...parts]), headerLength: header.length };
}

function encodeHeader(result: InferResult, binarySizes: ReadonlyMap<string, number> | undefined): string {
  const id = result.id === undefined ? '' : `,"id":${JSON.stringify(result.id)}`;
  let outputs = '';
  for (const [name, tensor] of result.outputs) {
    const size = binarySizes?.get(name);
    const content = size === undefined ? `"data":${dataJson(tensor)}` : `"parameters":{"binary_data_size":${size}}`;
    outputs += `${outputs.length === 0 ? '' : ','}{"name":${JSON.stringify(name)},"datatype":"${tensor.datatype}","shape":${JSON.stringify(tensor.shape)},${content}}`;
  }
  return `{"model_name":${JSON.stringify(result.modelName)},"model_version":${JSON.stringify(result.modelVersion)}${id},"outputs":[${outputs}]}`;
}

/** A tensor's data as JSON text (FP32 as the shortest decimal that reads back as the same float32). */
export function dataJson(tensor: TensorValue): string {
  if (tensor.datatype === 'FP32') return float32ArrayJson(tensor.data as Float32Array);
  return JSON.stringify(toJsonArray(tensor.datatype, tensor.data));
}
