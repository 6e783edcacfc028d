import fc from 'fast-check';
import { ServingError } from '../../../serving/src/errors';
import { splitInferBody } from '../../../serving/src/protocol/binary-tensor';
import { decodeInferRequest } from '../../../serving/src/protocol/infer-request';
import { encodeInferResponseBody } from '../../../serving/src/protocol/infer-response';
import { checkJsonLimits, DEFAULT_JSON_LIMITS } from '../../../serving/src/protocol/json-limits';
import type { ModelSignature, TensorValue } from '../../../serving/src/protocol/signature';

// Properties of the binary tensor data extension's parser and encoder. The wire format is written here from the
// specification (Buffer.write*LE, 4-byte little-endian BYTES prefixes), independently of the server's code.

const signature: ModelSignature = {
  inputs: [
    { name: 'x', datatype: 'FP32', shape: [-1, 2] },
    { name: 'ids', datatype: 'INT64', shape: [-1, 2] },
    { name: 'flag', datatype: 'BOOL', shape: [-1, 2] },
    { name: 'text', datatype: 'BYTES', shape: [-1, 2] },
  ],
  outputs: [
    { name: 'x', datatype: 'FP32', shape: [-1, 2] },
    { name: 'text', datatype: 'BYTES', shape: [-1, 2] },
  ],
};
const strict = { allowNonFinite: false };

const wire = {
  FP32: (values: number[]) =>
    Buffer.concat(
      values.map((v) => {
        const b = Buffer.alloc(4);
        b.writeFloatLE(v);
        return b;
      }),
    ),
  INT64: (values: bigint[]) =>
    Buffer.concat(
      values.map((v) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64LE(v);
        return b;
      }),
    ),
  BOOL: (values: boolean[]) => Buffer.from(values.map((v) => (v ? 1 : 0))),
  BYTES: (values: string[]) =>
    Buffer.concat(
      values.flatMap((v) => {
        const raw = Buffer.from(v, 'utf8');
        const prefix = Buffer.alloc(4);
        prefix.writeUInt32LE(raw.length);
        return [prefix, raw];
      }),
    ),
};

const rowsOf = <T>(rows: number, element: fc.Arbitrary<T>) => fc.array(element, { minLength: rows * 2, maxLength: rows * 2 });
const tensors = fc.integer({ min: 1, max: 4 }).chain((rows) =>
  fc.record({
    rows: fc.constant(rows),
    x: rowsOf(rows, fc.float({ noNaN: true, noDefaultInfinity: true })),
    ids: rowsOf(rows, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
    flag: rowsOf(rows, fc.boolean()),
    text: rowsOf(
      rows,
      fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => !s.includes('\u0000')),
    ),
    binary: fc.record({ x: fc.boolean(), ids: fc.boolean(), flag: fc.boolean(), text: fc.boolean() }),
  }),
);
type Tensors = typeof tensors extends fc.Arbitrary<infer T> ? T : never;

/** A request with each input binary or JSON as `binary` says; JSON INT64 only where exact (|v| ≤ 2^53). */
function requestOf(t: Tensors): { body: Buffer; headerLength: number } {
  const parts: Buffer[] = [];
  const inputs = (['x', 'ids', 'flag', 'text'] as const).map((name) => {
    const datatype = signature.inputs.find((spec) => spec.name === name)!.datatype as keyof typeof wire;
    const values = t[name] as never[];
    const binary = t.binary[name] || (name === 'ids' && (values as bigint[]).some((v) => v > 2n ** 53n || v < -(2n ** 53n)));
    if (!binary) return { name, datatype, shape: [t.rows, 2], data: name === 'ids' ? (values as bigint[]).map(Number) : values };
    const bytes = wire[datatype](values);
    parts.push(bytes);
    return { name, datatype, shape: [t.rows, 2], parameters: { binary_data_size: bytes.length } };
  });
  const header = Buffer.from(JSON.stringify({ inputs, outputs: [{ name: 'text', parameters: { binary_data: true } }, { name: 'x' }] }), 'utf8');
  return { body: Buffer.concat([header, ...parts]), headerLength: header.length };
}

describe('binary tensor data: parser and encoder properties', () => {
  it('decodes what the specification encodes, any mix of binary and JSON inputs', () => {
    fc.assert(
      fc.property(tensors, (t) => {
        const { body, headerLength } = requestOf(t);
        const decoded = decodeInferRequest(splitInferBody(body, String(headerLength)), signature, strict);
        // JSON has no -0 (JSON.stringify(-0) is "0"); binary data keeps every bit.
        expect(Array.from(decoded.inputs.get('x')!.data as Float32Array)).toEqual(t.x.map((v) => (t.binary.x ? Math.fround(v) : Math.fround(v) + 0)));
        expect(Array.from(decoded.inputs.get('ids')!.data as BigInt64Array)).toEqual(t.ids);
        expect(Array.from(decoded.inputs.get('flag')!.data as Uint8Array)).toEqual(t.flag.map(Number));
        expect(decoded.inputs.get('text')!.data).toEqual(t.text);
        expect([decoded.rows, decoded.outputs, [...decoded.binaryOutputs]]).toEqual([t.rows, ['text', 'x'], ['text']]);
      }),
    );
  });

  it('encodes binary outputs as the specification lays them out, after a JSON header of Inference-Header-Content-Length bytes', () => {
    fc.assert(
      fc.property(tensors, (t) => {
        const outputs = new Map<string, TensorValue>([
          ['text', { datatype: 'BYTES', shape: [t.rows, 2], data: t.text }],
          ['x', { datatype: 'FP32', shape: [t.rows, 2], data: Float32Array.from(t.x) }],
          ['ids', { datatype: 'INT64', shape: [t.rows, 2], data: BigInt64Array.from(t.ids) }],
        ]);
        const encoded = encodeInferResponseBody({ modelName: 'm', modelVersion: '1', outputs }, new Set(['text', 'ids']));
        if (encoded.headerLength === undefined) throw new Error('expected a binary body');
        const header = JSON.parse(encoded.body.subarray(0, encoded.headerLength).toString('utf8'));
        const expected = Buffer.concat([wire.BYTES(t.text), wire.INT64(t.ids)]);
        expect(header.outputs.map((o: { parameters?: { binary_data_size: number } }) => o.parameters?.binary_data_size)).toEqual([
          wire.BYTES(t.text).length,
          undefined,
          t.ids.length * 8,
        ]);
        expect(encoded.body.subarray(encoded.headerLength).equals(expected)).toBe(true);
      }),
    );
  });

  it('any edit of a valid binary body, or any Inference-Header-Content-Length, decodes or is refused with a 4xx ServingError', () => {
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 8 }),
      insert: fc.uint8Array({ maxLength: 8 }),
    });
    const headerValue = fc.oneof(
      fc.constant<'exact'>('exact'),
      fc.constant('0'), // a raw binary request
      fc.integer({ min: -3, max: 3 }).map((delta) => ({ delta })),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(tensors, fc.array(edit, { maxLength: 4 }), headerValue, (t, edits, header) => {
        const { body: valid, headerLength } = requestOf(t);
        let body = valid;
        for (const { at, remove, insert } of edits) {
          const where = at % (body.length + 1);
          body = Buffer.concat([body.subarray(0, where), insert, body.subarray(where + remove)]);
        }
        const length = header === 'exact' ? String(headerLength) : typeof header === 'string' ? header : String(headerLength + header.delta);
        try {
          const split = splitInferBody(body, length);
          if (split.json !== undefined) checkJsonLimits(split.json, DEFAULT_JSON_LIMITS);
          decodeInferRequest(split, signature, strict);
        } catch (error) {
          if (!(error instanceof ServingError) || error.status < 400 || error.status >= 500) throw error;
        }
      }),
    );
  });
});
