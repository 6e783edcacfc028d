import type { InferenceSession } from 'onnxruntime-node';
import { datatypeFromOrt } from '../protocol/datatypes';
import type { ModelSignature, TensorSpec } from '../protocol/signature';

/** Reads inputs/outputs (name, datatype, shape with -1 for dynamic dims) from a loaded ONNX graph. */
export function signatureOf(session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>): ModelSignature {
  return { inputs: session.inputMetadata.map(toSpec), outputs: session.outputMetadata.map(toSpec) };
}

function toSpec(meta: InferenceSession.ValueMetadata): TensorSpec {
  if (!meta.isTensor) throw new Error(`'${meta.name}' is not a tensor; only tensor inputs and outputs are supported`);
  const datatype = datatypeFromOrt(meta.type);
  if (datatype === undefined) throw new Error(`'${meta.name}' has type ${meta.type}, which the protocol cannot express`);
  return { name: meta.name, datatype, shape: meta.shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : -1)) };
}
