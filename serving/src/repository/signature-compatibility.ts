import { formatShape, type ModelSignature, type TensorSpec } from '../protocol/signature';

/** Whether every shape `before` accepts is accepted by `after` (same rank; a fixed dimension stays, or opens to -1). */
function acceptsAll(before: readonly number[], after: readonly number[]): boolean {
  return before.length === after.length && after.every((dim, i) => dim === -1 || dim === before[i]);
}

/**
 * Why requests that `serving` answers would fail on `next` (an empty list when none would): an input removed, added,
 * retyped or narrowed, or an output removed or retyped. Clients are written against the serving signature, so a
 * version that breaks them must not be swapped in under their feet.
 */
export function signatureBreaks(serving: ModelSignature, next: ModelSignature): string[] {
  const problems: string[] = [];
  const nextInputs = new Map(next.inputs.map((spec) => [spec.name, spec]));
  const servingInputs = new Set(serving.inputs.map((spec) => spec.name));
  const compare = (kind: string, before: TensorSpec, after: TensorSpec | undefined) => {
    if (after === undefined) problems.push(`${kind} '${before.name}' is gone`);
    else if (after.datatype !== before.datatype) problems.push(`${kind} '${before.name}' changes datatype ${before.datatype} → ${after.datatype}`);
    else if (kind === 'input' && !acceptsAll(before.shape, after.shape))
      problems.push(`input '${before.name}' changes shape ${formatShape(before.shape)} → ${formatShape(after.shape)}`);
  };
  for (const before of serving.inputs) compare('input', before, nextInputs.get(before.name));
  for (const after of next.inputs) if (!servingInputs.has(after.name)) problems.push(`input '${after.name}' is new (requests do not send it)`);
  const nextOutputs = new Map(next.outputs.map((spec) => [spec.name, spec]));
  for (const before of serving.outputs) compare('output', before, nextOutputs.get(before.name));
  return problems;
}
