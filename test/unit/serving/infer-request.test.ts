import { BadRequestError, UnsupportedDatatypeError } from '../../../serving/src/errors';
import { decodeInferRequest } from '../../../serving/src/protocol/infer-request';
import type { ModelSignature } from '../../../serving/src/protocol/signature';

const signature: ModelSignature = {
  inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [
    { name: 'y', datatype: 'FP32', shape: [-1, 2] },
    { name: 'z', datatype: 'INT64', shape: [-1] },
  ],
};
const strict = { allowNonFinite: false };
const body = (inputs: unknown[], extra: object = {}) => JSON.stringify({ inputs, ...extra });
const x = (data: unknown, shape = [2, 2], datatype = 'FP32') => ({ name: 'x', shape, datatype, data });

describe('decodeInferRequest', () => {
  it('decodes flat and nested row-major data to the same typed array', () => {
    const flat = decodeInferRequest(body([x([1, 2, 3, 4])]), signature, strict);
    const nested = decodeInferRequest(
      body([
        x([
          [1, 2],
          [3, 4],
        ]),
      ]),
      signature,
      strict,
    );
    expect(flat.inputs.get('x')!.data).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(nested.inputs.get('x')!.data).toEqual(flat.inputs.get('x')!.data);
    expect(flat.rows).toBe(2);
  });

  it('echoes the id and honours requested outputs, defaulting to all', () => {
    expect(decodeInferRequest(body([x([1, 2, 3, 4])], { id: 'r-1', outputs: [{ name: 'z' }] }), signature, strict)).toMatchObject({
      id: 'r-1',
      outputs: ['z'],
    });
    expect(decodeInferRequest(body([x([1, 2, 3, 4])]), signature, strict).outputs).toEqual(['y', 'z']);
  });

  it.each([
    ['malformed JSON', '{"inputs": [', /malformed JSON/],
    ['no inputs', '{"inputs": []}', /invalid infer request at inputs/],
    ['unknown datatype', body([x([1, 2, 3, 4], [2, 2], 'FLOAT')]), /inputs\.0\.datatype/],
    ['unknown input', body([x([1, 2, 3, 4]), { name: 'w', shape: [1], datatype: 'FP32', data: [1] }]), /unknown input 'w'; the model expects: x/],
    ['missing input', JSON.stringify({ inputs: [{ name: 'q', shape: [1], datatype: 'FP32', data: [1] }] }), /unknown input 'q'/],
    ['duplicate input', body([x([1, 2, 3, 4]), x([1, 2, 3, 4])]), /given more than once/],
    ['datatype mismatch', body([x([1, 2, 3, 4], [2, 2], 'FP64')]), /datatype mismatch: expected FP32, got FP64/],
    ['shape mismatch', body([x([1, 2, 3], [1, 3])]), /shape mismatch: expected \[-1,2\], got \[1,3\]/],
    ['rank mismatch', body([x([1, 2], [2])]), /shape mismatch: expected \[-1,2\], got \[2\]/],
    ['element count', body([x([1, 2, 3])]), /shape \[2,2\] needs 4 elements, got 3/],
    ['non-array data', body([x('abc')]), /data must be an array/],
    ['string element', body([x([1, 'a', 3, 4])]), /element 1 \("a"\) is not a number/],
    ['overflow to Infinity', '{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,1e999]}]}', /element 1 \(Infinity\) is not finite/],
    ['FP32 overflow', body([x([1, 1e39], [1, 2])]), /element 1 \(1e\+39\) is not finite in FP32/],
    ['NaN token when not allowed', body([x([1, 'NaN'], [1, 2])]), /element 1 \("NaN"\) is not a number/],
    ['unknown output', body([x([1, 2, 3, 4])], { outputs: [{ name: 'nope' }] }), /unknown output 'nope'; the model has: y, z/],
  ])('rejects %s with a precise 400', (_case, text, message) => {
    const attempt = () => decodeInferRequest(text, signature, strict);
    expect(attempt).toThrow(BadRequestError);
    expect(attempt).toThrow(message);
  });

  it('accepts NaN and Infinity when the model config allows them', () => {
    const decoded = decodeInferRequest(body([x(['NaN', 'Infinity', '-Infinity', 1])]), signature, { allowNonFinite: true });
    expect(Array.from(decoded.inputs.get('x')!.data as Float32Array)).toEqual([NaN, Infinity, -Infinity, 1]);
  });

  it('rejects inputs with different sizes in dimension 0', () => {
    const two: ModelSignature = { inputs: [...signature.inputs, { name: 'w', datatype: 'INT32', shape: [-1] }], outputs: signature.outputs };
    const text = body([x([1, 2, 3, 4]), { name: 'w', shape: [3], datatype: 'INT32', data: [1, 2, 3] }]);
    expect(() => decodeInferRequest(text, two, strict)).toThrow(/same size in dimension 0, got 2 and 3/);
  });

  describe('integer and boolean datatypes', () => {
    const typed = (datatype: 'INT8' | 'UINT8' | 'INT64' | 'UINT64' | 'BOOL' | 'INT32' | 'BYTES'): ModelSignature => ({
      inputs: [{ name: 'v', datatype, shape: [-1] }],
      outputs: [{ name: 'o', datatype, shape: [-1] }],
    });
    const v = (datatype: string, data: unknown[]) => body([{ name: 'v', shape: [data.length], datatype, data }]);

    it('converts to the matching typed arrays', () => {
      expect(decodeInferRequest(v('INT8', [-128, 127]), typed('INT8'), strict).inputs.get('v')!.data).toEqual(new Int8Array([-128, 127]));
      expect(decodeInferRequest(v('INT64', [-5, 2 ** 40]), typed('INT64'), strict).inputs.get('v')!.data).toEqual(new BigInt64Array([-5n, 2n ** 40n]));
      expect(decodeInferRequest(v('UINT64', [7]), typed('UINT64'), strict).inputs.get('v')!.data).toEqual(new BigUint64Array([7n]));
      expect(decodeInferRequest(v('BOOL', [true, false, 1]), typed('BOOL'), strict).inputs.get('v')!.data).toEqual(new Uint8Array([1, 0, 1]));
    });

    it.each([
      ['BYTES', [1], /is not a string \(BYTES\)/],
      ['BYTES', ['a\u0000b'], /contains a NUL character/],
      ['INT8', [128], /out of range for INT8 \[-128, 127\]/],
      ['UINT8', [-1], /out of range for UINT8/],
      ['INT32', [1.5], /is not an integer \(INT32\)/],
      ['BOOL', ['yes'], /is not a boolean/],
    ] as const)('rejects bad %s values', (datatype, data, message) => {
      expect(() => decodeInferRequest(v(datatype, [...data]), typed(datatype), strict)).toThrow(message);
    });
  });

  it('names FP16 as unsupported when the model needs it', () => {
    const fp16: ModelSignature = { inputs: [{ name: 'h', datatype: 'FP16', shape: [-1] }], outputs: [] };
    const attempt = () => decodeInferRequest(body([{ name: 'h', shape: [1], datatype: 'FP16', data: [1] }]), fp16, strict);
    expect(attempt).toThrow(UnsupportedDatatypeError);
    expect(attempt).toThrow(/needs datatype FP16, which this server does not support \(supported: BOOL, .*FP64, BYTES\)/);
  });
});
