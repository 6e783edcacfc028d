import type { DecodedInferRequest } from './infer-request';
import { dataJson } from './infer-response';

/**
 * A decoded request as an Open Inference Protocol JSON request (inputs with `data`, the outputs asked for): what inference
 * capture stores for a request that arrived as binary tensor data, so captured records have one shape whatever the wire.
 */
export function inferRequestJson(request: DecodedInferRequest): string {
  const id = request.id === undefined ? '' : `"id":${JSON.stringify(request.id)},`;
  let inputs = '';
  for (const [name, tensor] of request.inputs) {
    inputs += `${inputs.length === 0 ? '' : ','}{"name":${JSON.stringify(name)},"datatype":"${tensor.datatype}","shape":${JSON.stringify(tensor.shape)},"data":${dataJson(tensor)}}`;
  }
  return `{${id}"inputs":[${inputs}],"outputs":${JSON.stringify(request.outputs.map((name) => ({ name })))}}`;
}
