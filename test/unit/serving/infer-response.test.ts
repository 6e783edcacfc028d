import fc from 'fast-check';
import { float32ArrayJson, float32Json } from '../../../serving/src/protocol/float32-json';
import { encodeInferResponse } from '../../../serving/src/protocol/infer-response';

describe('float32Json', () => {
  it('writes text that reads back as exactly the same float32, in at most 9 significant digits', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = float32Json(value);
        expect(Math.fround(JSON.parse(text))).toBe(value === 0 ? 0 : value);
        const significantDigits = text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
        expect(significantDigits.length).toBeLessThanOrEqual(9);
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes the shortest form for typical values, and null for NaN and ±Infinity like JSON.stringify', () => {
    expect(float32Json(Math.fround(0.1))).toBe('0.1');
    expect(float32Json(Math.fround(1 / 3))).toBe('0.33333334');
    expect(float32Json(Math.fround(1.8561521528681624e-6))).toBe('0.0000018561522');
    expect(float32Json(Math.fround(1e30))).toBe('1e+30');
    expect(float32Json(-0)).toBe('0');
    expect(float32Json(16_777_216)).toBe('16777216');
    expect([Number.NaN, Infinity, -Infinity].map(float32Json)).toEqual(['null', 'null', 'null']);
    expect(float32ArrayJson(new Float32Array([]))).toBe('[]');
    expect(float32ArrayJson(new Float32Array([0.5, -2]))).toBe('[0.5,-2]');
  });
});

describe('encodeInferResponse', () => {
  it('writes the protocol fields in order, FP32 data as shortest float32 text and other datatypes as JSON numbers/booleans', () => {
    const body = encodeInferResponse({
      modelName: 'm"1',
      modelVersion: '2',
      id: 'req-\n1',
      outputs: new Map([
        ['p', { datatype: 'FP32' as const, shape: [1, 2], data: new Float32Array([0.1, Number.NaN]) }],
        ['l', { datatype: 'INT64' as const, shape: [2], data: new BigInt64Array([3n, -4n]) }],
        ['b', { datatype: 'BOOL' as const, shape: [2], data: new Uint8Array([1, 0]) }],
      ]),
    });
    expect(body).toBe(
      '{"model_name":"m\\"1","model_version":"2","id":"req-\\n1","outputs":[' +
        '{"name":"p","datatype":"FP32","shape":[1,2],"data":[0.1,null]},' +
        '{"name":"l","datatype":"INT64","shape":[2],"data":[3,-4]},' +
        '{"name":"b","datatype":"BOOL","shape":[2],"data":[true,false]}]}',
    );
    const noId = JSON.parse(encodeInferResponse({ modelName: 'm', modelVersion: '1', outputs: new Map() }));
    expect(noId).toEqual({ model_name: 'm', model_version: '1', outputs: [] });
  });
});
