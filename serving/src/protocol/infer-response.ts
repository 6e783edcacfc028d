import { toJsonArray } from './datatypes';
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
  return JSON.stringify({
    model_name: result.modelName,
    model_version: result.modelVersion,
    ...(result.id === undefined ? {} : { id: result.id }),
    outputs: [...result.outputs].map(([name, tensor]) => ({
      name,
      datatype: tensor.datatype,
      shape: tensor.shape,
      data: toJsonArray(tensor.datatype, tensor.data),
    })),
  });
}
