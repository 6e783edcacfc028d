import type { ModelSignature } from '../../../serving/src/protocol/signature';
import { signatureBreaks } from '../../../serving/src/repository/signature-compatibility';

const serving: ModelSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }],
};
const withInput = (shape: number[], datatype: 'FP32' | 'INT64' = 'FP32', name = 'x'): ModelSignature => ({ ...serving, inputs: [{ name, datatype, shape }] });

describe('signatureBreaks', () => {
  it('accepts the same signature, a dimension opening to -1, and a new output', () => {
    expect(signatureBreaks(serving, serving)).toEqual([]);
    expect(signatureBreaks(serving, withInput([-1, -1]))).toEqual([]);
    expect(signatureBreaks(serving, { ...serving, outputs: [...serving.outputs, { name: 'p', datatype: 'FP32', shape: [-1] }] })).toEqual([]);
  });

  it.each([
    ['a renamed input', withInput([-1, 4], 'FP32', 'features'), ["input 'x' is gone", "input 'features' is new (requests do not send it)"]],
    ['a retyped input', withInput([-1, 4], 'INT64'), ["input 'x' changes datatype FP32 → INT64"]],
    ['a narrowed input', withInput([1, 4]), ["input 'x' changes shape [-1,4] → [1,4]"]],
    ['another width', withInput([-1, 8]), ["input 'x' changes shape [-1,4] → [-1,8]"]],
    ['a removed output', { ...serving, outputs: [] }, ["output 'y' is gone"]],
  ])('refuses %s', (_, next, problems) => {
    expect(signatureBreaks(serving, next)).toEqual(problems);
  });
});
