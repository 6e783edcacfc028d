/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// Triton's binary tensor data extension over HTTP, against the real server: every request and expected response is
// built byte for byte from the extension's specification (JSON header of Inference-Header-Content-Length bytes, then
// each tensor little-endian, row-major, unpadded; BOOL one byte; BYTES elements as a 4-byte little-endian length + bytes).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HttpServingServer } from '../../../serving/src/adapters/http-server';
import { createServingApp } from '../../../serving/src/app';
import { httpLimitsOf, loadSettings } from '../../../serving/src/settings';
import { send, type ClientResponse } from './support/http-client';
import { memoryLogger, startServer, TempRepository, type RunningServer } from './support/test-server';

const LIMIT = 64 * 1024;
const repo = new TempRepository({
  'mixed/1/model.onnx': 'mixed.onnx',
  'dtypes/1/model.onnx': 'dtypes.onnx',
  'scale/1/model.onnx': 'scale-v1.onnx',
  'lenient/1/model.onnx': 'scale-v1.onnx',
  'lenient/1/config.json': { allowNonFinite: true },
  'batched/1/model.onnx': 'mixed.onnx',
  'batched/1/config.json': { maxQueueDelayMicros: 50_000, maxBatchSize: 64 },
});
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(repo.root, { MAX_BODY_BYTES: String(LIMIT), MAX_JSON_DEPTH: '8' });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

// ---- the wire format, written out from the specification (independent of the server's code) ----
const fp32 = (values: number[]) => {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
};
const int64 = (values: bigint[]) => {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeBigInt64LE(v, i * 8));
  return bytes;
};
const fp64 = (values: number[]) => {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  return bytes;
};
/** BYTES: each element is a 4-byte little-endian unsigned length followed by its bytes. */
const bytesTensor = (elements: (string | Buffer)[]) =>
  Buffer.concat(
    elements.flatMap((element) => {
      const raw = typeof element === 'string' ? Buffer.from(element, 'utf8') : element;
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32LE(raw.length);
      return [prefix, raw];
    }),
  );

/** A binary request: the JSON header, then the tensors' bytes, with Inference-Header-Content-Length = header bytes. */
function binaryRequest(header: object, ...tensors: Buffer[]): { body: Buffer; headers: Record<string, string> } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return {
    body: Buffer.concat([json, ...tensors]),
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.length) },
  };
}

const post = (model: string, request: { body: Buffer | string; headers?: Record<string, string> }) =>
  send(`${server.url}/v2/models/${model}/infer`, { body: request.body, headers: request.headers });

/** Splits a response at its Inference-Header-Content-Length into the parsed JSON header and the bytes after it. */
function splitResponse(res: ClientResponse): { header: any; binary: Buffer } {
  const length = Number(res.headers['inference-header-content-length']);
  expect(res.headers['content-length']).toBe(String(res.bytes.length));
  return { header: JSON.parse(res.bytes.subarray(0, length).toString('utf8')), binary: res.bytes.subarray(length) };
}

const text = ['héllo', '', 'naïve 🚀', 'x'];

describe('binary tensor data extension', () => {
  it('is listed in the server metadata extensions', async () => {
    expect((await send(`${server.url}/v2`)).json().extensions).toEqual(['binary_tensor_data']);
  });

  it('decodes FP32, INT64 and BYTES inputs sent as binary and returns every output as binary when binary_data_output is set', async () => {
    const x = [0.5, -1.25, 3e-7, 1, 2, 3];
    const ids = [1n, -2n, 2n ** 62n + 1n, -(2n ** 63n)]; // beyond 2^53: exact only in binary form
    const request = binaryRequest(
      {
        id: 'bin-1',
        parameters: { binary_data_output: true },
        inputs: [
          { name: 'x', shape: [2, 3], datatype: 'FP32', parameters: { binary_data_size: 24 } },
          { name: 'ids', shape: [2, 2], datatype: 'INT64', parameters: { binary_data_size: 32 } },
          { name: 'text', shape: [2, 2], datatype: 'BYTES', parameters: { binary_data_size: bytesTensor(text).length } },
        ],
      },
      fp32(x),
      int64(ids),
      bytesTensor(text),
    );
    const res = await post('mixed', request);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const { header, binary } = splitResponse(res);
    const textBytes = bytesTensor(text);
    expect(header).toEqual({
      model_name: 'mixed',
      model_version: '1',
      id: 'bin-1',
      outputs: [
        { name: 'x_out', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
        { name: 'ids_out', datatype: 'INT64', shape: [2, 2], parameters: { binary_data_size: 32 } },
        { name: 'text_out', datatype: 'BYTES', shape: [2, 2], parameters: { binary_data_size: textBytes.length } },
      ],
    });
    expect(binary.equals(Buffer.concat([fp32(x), int64(ids), textBytes]))).toBe(true);
  });

  it('mixes JSON and binary inputs, and binary_data per output overrides binary_data_output', async () => {
    const request = binaryRequest(
      {
        parameters: { binary_data_output: true },
        inputs: [
          { name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] },
          { name: 'ids', shape: [1, 2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
          { name: 'text', shape: [1, 2], datatype: 'BYTES', data: ['a', 'b'] },
        ],
        outputs: [{ name: 'text_out', parameters: { binary_data: false } }, { name: 'ids_out' }],
      },
      int64([7n, 8n]),
    );
    const res = await post('mixed', request);
    expect(res.status).toBe(200);
    const { header, binary } = splitResponse(res);
    expect(header.outputs).toEqual([
      { name: 'text_out', datatype: 'BYTES', shape: [1, 2], data: ['a', 'b'] },
      { name: 'ids_out', datatype: 'INT64', shape: [1, 2], parameters: { binary_data_size: 16 } },
    ]);
    expect(binary.equals(int64([7n, 8n]))).toBe(true);
  });

  it('answers plain JSON (no Inference-Header-Content-Length) to a binary request that asks for no binary output', async () => {
    const res = await post(
      'scale',
      binaryRequest({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }] }, fp32([1, 2, 3, 4])),
    );
    expect([res.status, res.headers['content-type'], res.headers['inference-header-content-length']]).toEqual([200, 'application/json', undefined]);
    expect(res.json().outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }]);
  });

  it('returns binary outputs for a JSON-only request that asks for them (binary_data on an output)', async () => {
    const res = await post('scale', {
      body: JSON.stringify({
        inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [4, 3, 2, 1] }],
        outputs: [{ name: 'y', parameters: { binary_data: true } }],
      }),
    });
    const { header, binary } = splitResponse(res);
    expect(header.outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: [1, 4], parameters: { binary_data_size: 16 } }]);
    expect(binary.equals(fp32([4, 3, 2, 1]))).toBe(true);
  });

  it('carries BOOL as one byte per element, UINT8 and FP64 in their native sizes', async () => {
    const request = binaryRequest(
      {
        parameters: { binary_data_output: true },
        inputs: [
          { name: 'i64', shape: [1, 2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
          { name: 'flag', shape: [1, 2], datatype: 'BOOL', parameters: { binary_data_size: 2 } },
          { name: 'f64', shape: [1, 2], datatype: 'FP64', parameters: { binary_data_size: 16 } },
          { name: 'u8', shape: [1, 2], datatype: 'UINT8', parameters: { binary_data_size: 2 } },
        ],
      },
      int64([9_007_199_254_740_993n, -1n]),
      Buffer.from([1, 0]),
      fp64([Math.PI, -0.1]),
      Buffer.from([0, 255]),
    );
    const res = await post('dtypes', request);
    const { header, binary } = splitResponse(res);
    expect(header.outputs.map((o: { parameters: { binary_data_size: number } }) => o.parameters.binary_data_size)).toEqual([16, 2, 16, 2]);
    expect(binary.equals(Buffer.concat([int64([9_007_199_254_740_993n, -1n]), Buffer.from([1, 0]), fp64([Math.PI, -0.1]), Buffer.from([0, 255])]))).toBe(true);
  });

  it('takes a raw binary request (Inference-Header-Content-Length: 0): the body is the only input, its dynamic dimension deduced, every output binary', async () => {
    const res = await post('scale', { body: fp32([1, 2, 3, 4, 5, 6, 7, 8]), headers: { 'inference-header-content-length': '0' } });
    expect(res.status).toBe(200);
    const { header, binary } = splitResponse(res);
    expect(header.outputs).toEqual([{ name: 'y', datatype: 'FP32', shape: [2, 4], parameters: { binary_data_size: 32 } }]);
    expect(binary.equals(fp32([1, 2, 3, 4, 5, 6, 7, 8]))).toBe(true);
  });

  it('batches concurrent binary requests (BYTES included) and answers each with its own rows', async () => {
    const requests = Array.from({ length: 6 }, (_, k) =>
      binaryRequest(
        {
          parameters: { binary_data_output: true },
          inputs: [
            { name: 'x', shape: [1, 3], datatype: 'FP32', parameters: { binary_data_size: 12 } },
            { name: 'ids', shape: [1, 2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
            { name: 'text', shape: [1, 2], datatype: 'BYTES', parameters: { binary_data_size: bytesTensor([`r${k}`, 'é'.repeat(k)]).length } },
          ],
        },
        fp32([k, k, k]),
        int64([BigInt(k), BigInt(-k)]),
        bytesTensor([`r${k}`, 'é'.repeat(k)]),
      ),
    );
    const answers = await Promise.all(requests.map((request) => post('batched', request)));
    answers.forEach((res, k) => {
      expect(res.status).toBe(200);
      expect(splitResponse(res).binary.equals(Buffer.concat([fp32([k, k, k]), int64([BigInt(k), BigInt(-k)]), bytesTensor([`r${k}`, 'é'.repeat(k)])]))).toBe(
        true,
      );
    });
    const metrics = await send(`${server.url}/metrics`);
    const batches = Number(/serving_batch_size_count\{model="batched",version="1"\} (\d+)/.exec(metrics.body)?.[1]);
    expect(batches).toBeLessThan(6);
  });
});

describe('binary tensor data: bad requests get a 400 saying what is wrong', () => {
  const xHeader = (size: number, extra: object = {}) => ({
    inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: size }, ...extra }],
  });
  const json = (header: object) => Buffer.from(JSON.stringify(header));

  it.each<[string, () => { body: Buffer; headers?: Record<string, string> }, string | RegExp]>([
    [
      'a header length past the end of the body',
      () => ({ body: fp32([1, 2, 3, 4]), headers: { 'inference-header-content-length': '17' } }),
      'Inference-Header-Content-Length 17 is past the end of the 16-byte body',
    ],
    [
      'a header length that is not a number',
      () => ({ body: fp32([1]), headers: { 'inference-header-content-length': '12abc' } }),
      "Inference-Header-Content-Length must be a non-negative integer, got '12abc'",
    ],
    [
      'a binary_data_size that does not match shape × datatype',
      () => binaryRequest(xHeader(12), fp32([1, 2, 3])),
      "input 'x': shape [1,4] of FP32 needs 16 bytes (4 × 4), binary_data_size is 12",
    ],
    [
      'sizes that run past the end of the body',
      () => binaryRequest(xHeader(16), fp32([1, 2, 3])),
      "input 'x': binary_data_size 16 at offset 0 runs past the 12 bytes of binary data after the inference header",
    ],
    [
      'binary data that belongs to no input',
      () => binaryRequest(xHeader(16), fp32([1, 2, 3, 4, 5])),
      "4 bytes of binary data after the inference header belong to no input (the inputs' binary_data_size add up to 16 of 20)",
    ],
    [
      'binary_data_size without Inference-Header-Content-Length',
      () => ({ body: json(xHeader(16)) }),
      "input 'x' has parameters.binary_data_size but the request has no Inference-Header-Content-Length header (without it the whole body is JSON)",
    ],
    [
      'both data and binary_data_size',
      () => binaryRequest(xHeader(16, { data: [1, 2, 3, 4] }), fp32([1, 2, 3, 4])),
      "input 'x' has both data and parameters.binary_data_size; send one",
    ],
    ['a negative binary_data_size', () => binaryRequest(xHeader(-4)), "input 'x': parameters.binary_data_size must be a non-negative integer, got -4"],
    ['NaN in FP32 binary data', () => binaryRequest(xHeader(16), fp32([1, Number.NaN, 3, 4])), /^input 'x' element 1 \(NaN\) is not finite in FP32/],
    [
      'a BOOL byte other than 0 or 1',
      () =>
        binaryRequest(
          {
            inputs: [
              { name: 'i64', shape: [1, 2], datatype: 'INT64', data: [1, 2] },
              { name: 'flag', shape: [1, 2], datatype: 'BOOL', parameters: { binary_data_size: 2 } },
              { name: 'f64', shape: [1, 2], datatype: 'FP64', data: [1, 2] },
              { name: 'u8', shape: [1, 2], datatype: 'UINT8', data: [1, 2] },
            ],
          },
          Buffer.from([1, 2]),
        ),
      "input 'flag' element 1 (byte 2) is not a boolean (BOOL: 0 or 1)",
    ],
    [
      'binary_data that is not a boolean',
      () => ({
        body: json({
          inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }],
          outputs: [{ name: 'y', parameters: { binary_data: 'yes' } }],
        }),
      }),
      'output \'y\': parameters.binary_data must be true or false, got "yes"',
    ],
    [
      'a raw binary body that is not a whole tensor',
      () => ({ body: fp32([1, 2, 3]), headers: { 'inference-header-content-length': '0' } }),
      "input 'x': 12 bytes of raw binary data are not a whole FP32 tensor of shape [-1,4]",
    ],
    [
      'a malformed JSON header',
      () => ({ body: Buffer.from('{"inputs": [}XXXX'), headers: { 'inference-header-content-length': '13' } }),
      /^malformed JSON in the inference header: /,
    ],
  ])('%s', async (_, request, message) => {
    const res = await post(message === "input 'flag' element 1 (byte 2) is not a boolean (BOOL: 0 or 1)" ? 'dtypes' : 'scale', request());
    expect(res.status).toBe(400);
    expect(res.json().error).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });

  const textRequest = (elements: Buffer) =>
    binaryRequest(
      {
        inputs: [
          { name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] },
          { name: 'ids', shape: [1, 2], datatype: 'INT64', data: [1, 2] },
          { name: 'text', shape: [1, 2], datatype: 'BYTES', parameters: { binary_data_size: elements.length } },
        ],
      },
      elements,
    );

  it.each<[string, Buffer, string]>([
    [
      'a length prefix past the tensor',
      Buffer.concat([bytesTensor(['ab']), Buffer.from([9, 0, 0, 0, 0x61])]),
      "input 'text' BYTES element 1: length 9 at offset 6 runs past the tensor's 11 bytes",
    ],
    [
      'a cut length prefix',
      Buffer.concat([bytesTensor(['ab']), Buffer.from([1, 0])]),
      "input 'text' BYTES element 1: the 4-byte length prefix at offset 6 runs past the tensor's 8 bytes",
    ],
    ['fewer elements than the shape', bytesTensor(['only one']), "input 'text': shape [1,2] needs 2 BYTES elements, the binary data holds 1"],
    ['more elements than the shape', bytesTensor(['a', 'b', 'c']), "input 'text': the binary data holds more than the 2 BYTES elements its shape allows"],
    [
      'invalid UTF-8',
      bytesTensor(['a', Buffer.from([0xc3, 0x28])]),
      "input 'text' BYTES element 1 is not valid UTF-8 (onnxruntime's string tensors hold text)",
    ],
    [
      'a NUL byte',
      bytesTensor(['a', Buffer.from([0x61, 0, 0x62])]),
      "input 'text' BYTES element 1 contains a NUL byte, which onnxruntime's string tensors cannot carry",
    ],
  ])('BYTES: %s', async (_, elements, message) => {
    const res = await post('mixed', textRequest(elements));
    expect([res.status, res.json().error]).toEqual([400, message]);
  });

  it('accepts NaN in binary FP32 data when the model allows non-finite values', async () => {
    const res = await post(
      'lenient',
      binaryRequest({ ...xHeader(16), outputs: [{ name: 'y', parameters: { binary_data: true } }] }, fp32([Number.NaN, Infinity, 1, 2])),
    );
    expect(splitResponse(res).binary.equals(fp32([Number.NaN, Infinity, 1, 2]))).toBe(true);
  });
});

describe('binary tensor data: the limits still hold', () => {
  it('a binary body over MAX_BODY_BYTES gets 413', async () => {
    const size = LIMIT; // the JSON header pushes the body past the limit
    const res = await post(
      'scale',
      binaryRequest({ inputs: [{ name: 'x', shape: [size / 16, 4], datatype: 'FP32', parameters: { binary_data_size: size } }] }, Buffer.alloc(size)),
    );
    expect([res.status, res.json().error]).toEqual([413, `request body exceeds the limit of ${LIMIT} bytes`]);
  });

  it('a streamed binary body over the limit gets 413 the client can read (lingering close)', async () => {
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', shape: [8192, 4], datatype: 'FP32', parameters: { binary_data_size: 131_072 } }] }));
    const res = await fetch(`${server.url}/v2/models/scale/infer`, {
      method: 'POST',
      headers: { 'inference-header-content-length': String(header.length) },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(header));
          for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(32_768));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect([res.status, await res.json()]).toEqual([413, { error: `request body exceeds the limit of ${LIMIT} bytes` }]);
  });

  it('the JSON header is held to MAX_JSON_DEPTH like a JSON body', async () => {
    const deep = `{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16,"n":${'['.repeat(10)}${']'.repeat(10)}}}]}`;
    const json = Buffer.from(deep);
    const res = await post('scale', { body: Buffer.concat([json, fp32([1, 2, 3, 4])]), headers: { 'inference-header-content-length': String(json.length) } });
    expect([res.status, res.json().error]).toEqual([400, 'request JSON is nested deeper than 8 levels (MAX_JSON_DEPTH)']);
  });

  it('the binary part is not scanned as JSON: bytes that look like deep nesting pass', async () => {
    const brackets = Buffer.alloc(16, 0x5b); // "[[[[[[[[[[[[[[[[" as tensor bytes
    const res = await post(
      'lenient',
      binaryRequest({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }] }, brackets),
    );
    expect(res.status).toBe(200);
  });
});

describe('inference capture of a binary request', () => {
  it('stores the request and response in JSON form, inputs with their data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capture-binary-'));
    const settings = loadSettings({
      MODEL_REPOSITORY: repo.root,
      PORT: '0',
      MODEL_POLL_INTERVAL_SECONDS: '0',
      ORT_INTRA_OP_THREADS: '1',
      SERVED_MODELS: 'mixed',
    });
    const app = createServingApp(settings, memoryLogger(), { env: { CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_DESTINATION: dir } });
    const http = new HttpServingServer(app.core, httpLimitsOf(settings), memoryLogger(), app.metrics);
    const address = await http.listen(0, '127.0.0.1');
    try {
      await app.repository.start();
      const request = binaryRequest(
        {
          id: 'cap',
          parameters: { binary_data_output: true },
          inputs: [
            { name: 'x', shape: [1, 3], datatype: 'FP32', parameters: { binary_data_size: 12 } },
            { name: 'ids', shape: [1, 2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
            { name: 'text', shape: [1, 2], datatype: 'BYTES', parameters: { binary_data_size: bytesTensor(['p', 'q']).length } },
          ],
        },
        fp32([0.25, 2, 3]),
        int64([5n, 6n]),
        bytesTensor(['p', 'q']),
      );
      const res = await send(`http://127.0.0.1:${address.port}/v2/models/mixed/infer`, { body: request.body, headers: request.headers });
      expect(res.status).toBe(200);
      await app.capture!.close();
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.jsonl.gz'));
      expect(files).toHaveLength(1);
      const record = JSON.parse(gunzipSync(readFileSync(join(dir, files[0]))).toString('utf8'));
      expect(record.request).toEqual({
        id: 'cap',
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [1, 3], data: [0.25, 2, 3] },
          { name: 'ids', datatype: 'INT64', shape: [1, 2], data: [5, 6] },
          { name: 'text', datatype: 'BYTES', shape: [1, 2], data: ['p', 'q'] },
        ],
        outputs: [{ name: 'x_out' }, { name: 'ids_out' }, { name: 'text_out' }],
      });
      expect(record.response.outputs[2]).toEqual({ name: 'text_out', datatype: 'BYTES', shape: [1, 2], data: ['p', 'q'] });
    } finally {
      await http.close();
      await app.repository.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
