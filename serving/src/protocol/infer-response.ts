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

/** Serializes an infer result as an Open Inference Protocol response body. */
export function encodeInferResponse(result: InferResult): string {
  const id = result.id === undefined ? '' : `,"id":${JSON.stringify(result.id)}`;
  const outputs = [...result.outputs].map(
    ([name, tensor]) => `{"name":${JSON.stringify(name)},"datatype":"${tensor.datatype}","shape":${JSON.stringify(tensor.shape)},"data":${dataJson(tensor)}}`,
  );
  return `{"model_name":${JSON.stringify(result.modelName)},"model_version":${JSON.stringify(result.modelVersion)}${id},"outputs":[${outputs.join(',')}]}`;
}

function dataJson(tensor: TensorValue): string {
  if (tensor.datatype === 'FP32') return float32ArrayJson(tensor.data as Float32Array);
  return JSON.stringify(toJsonArray(tensor.datatype, tensor.data));
}
