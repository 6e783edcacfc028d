/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
import { inferBody, send } from './support/http-client';
import { startServer, TempRepository, type RunningServer } from './support/test-server';

const repo = new TempRepository({
  'scale/1/model.onnx': 'scale-v1.onnx',
  'dtypes/1/model.onnx': 'dtypes.onnx',
  'fp16/1/model.onnx': 'fp16.onnx',
  'strict-queue/1/model.onnx': 'sleepy.onnx',
  'strict-queue/1/config.json': { maxQueueSize: 1, maxBatchSize: 1 },
  'short-timeout/1/model.onnx': 'sleepy.onnx',
  'short-timeout/1/config.json': { requestTimeoutMs: 2 },
  'lenient/1/model.onnx': 'scale-v1.onnx',
  'lenient/1/config.json': { allowNonFinite: true },
  'inline/1/model.onnx': 'scale-v2.onnx',
  'inline/1/config.json': { executor: 'inline', instances: 2 },
});
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(repo.root, { MAX_BODY_BYTES: '65536' });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

const slowRows = (rows: number) => inferBody('x', [rows, 256], new Array(rows * 256).fill(1));

describe('Open Inference Protocol over HTTP', () => {
  it('GET /v2 describes the server', async () => {
    const res = await send(`${server.url}/v2`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ name: 'onnx-serving', version: expect.any(String), extensions: ['binary_tensor_data'] });
  });

  it('GET /v2/health/live and /v2/health/ready answer 200 once models are loaded', async () => {
    expect((await send(`${server.url}/v2/health/live`)).json()).toEqual({ live: true });
    const ready = await send(`${server.url}/v2/health/ready`);
    expect([ready.status, ready.json()]).toEqual([200, { ready: true }]);
  });

  it('GET /v2/models/{m}[/versions/{v}] returns metadata read from the ONNX graph', async () => {
    const expected = {
      name: 'scale',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 4] }],
      parameters: { execution_provider: 'cpu' },
    };
    expect((await send(`${server.url}/v2/models/scale`)).json()).toEqual(expected);
    expect((await send(`${server.url}/v2/models/scale/versions/1`)).json()).toEqual(expected);
    const dtypes = (await send(`${server.url}/v2/models/dtypes`)).json();
    expect(dtypes.inputs.map((i: { datatype: string }) => i.datatype)).toEqual(['INT64', 'BOOL', 'FP64', 'UINT8']);
  });

  it('GET .../ready answers for the model and for its version', async () => {
    expect((await send(`${server.url}/v2/models/scale/ready`)).json()).toEqual({ name: 'scale', versions: ['1'], ready: true });
    expect((await send(`${server.url}/v2/models/scale/versions/1/ready`)).status).toBe(200);
  });

  it('POST .../infer runs the model on flat or nested data, echoes the id and honours outputs', async () => {
    const res = await send(`${server.url}/v2/models/scale/versions/1/infer`, {
      body: inferBody(
        'x',
        [2, 4],
        [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
        { id: 'req-7', outputs: [{ name: 'y' }] },
      ),
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.json()).toEqual({
      model_name: 'scale',
      model_version: '1',
      id: 'req-7',
      outputs: [{ name: 'y', datatype: 'FP32', shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }],
    });
  });

  it('runs a model on the event loop thread when its config says executor: inline', async () => {
    const answers = await Promise.all([1, 2, 3].map((k) => send(`${server.url}/v2/models/inline/infer`, { body: inferBody('x', [1, 4], [k, k, k, k]) })));
    expect(answers.map((res) => res.json().outputs[0].data)).toEqual([
      [2, 2, 2, 2],
      [4, 4, 4, 4],
      [6, 6, 6, 6],
    ]);
  });

  it('round-trips INT64, BOOL, FP64 and UINT8 tensors and returns only the requested outputs', async () => {
    const body = JSON.stringify({
      inputs: [
        { name: 'i64', shape: [1, 2], datatype: 'INT64', data: [-3, 2 ** 40] },
        { name: 'flag', shape: [1, 2], datatype: 'BOOL', data: [true, false] },
        { name: 'f64', shape: [1, 2], datatype: 'FP64', data: [0.1, -2.5] },
        { name: 'u8', shape: [1, 2], datatype: 'UINT8', data: [0, 255] },
      ],
      outputs: [{ name: 'flag_out' }, { name: 'i64_out' }, { name: 'f64_out' }, { name: 'u8_out' }],
    });
    const res = await send(`${server.url}/v2/models/dtypes/infer`, { body, headers: { 'x-request-id': 'mine' } });
    expect(res.headers['x-request-id']).toBe('mine');
    expect(res.json().outputs).toEqual([
      { name: 'flag_out', datatype: 'BOOL', shape: [1, 2], data: [true, false] },
      { name: 'i64_out', datatype: 'INT64', shape: [1, 2], data: [-3, 2 ** 40] },
      { name: 'f64_out', datatype: 'FP64', shape: [1, 2], data: [0.1, -2.5] },
      { name: 'u8_out', datatype: 'UINT8', shape: [1, 2], data: [0, 255] },
    ]);
  });

  it('accepts NaN/Infinity only where the model config allows it', async () => {
    const body = inferBody('x', [1, 4], ['NaN', 'Infinity', '-Infinity', 1]);
    const lenient = await send(`${server.url}/v2/models/lenient/infer`, { body });
    expect(lenient.status).toBe(200);
    expect(lenient.json().outputs[0].data).toEqual([null, null, null, 1]); // JSON has no NaN/Infinity
    const strict = await send(`${server.url}/v2/models/scale/infer`, {
      body: '{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,1e999]}]}',
    });
    expect([strict.status, strict.json().error]).toEqual([400, expect.stringMatching(/element 3 \(Infinity\) is not finite/)]);
  });

  it.each([
    ['malformed JSON', '{"inputs":', /malformed JSON/],
    ['unknown input', inferBody('nope', [1, 4], [1, 2, 3, 4]), /unknown input 'nope'; the model expects: x/],
    ['shape mismatch', inferBody('x', [1, 3], [1, 2, 3]), /shape mismatch: expected \[-1,4\], got \[1,3\]/],
    ['datatype mismatch', inferBody('x', [1, 4], [1, 2, 3, 4], {}, 'INT32'), /datatype mismatch: expected FP32, got INT32/],
    ['unknown output', inferBody('x', [1, 4], [1, 2, 3, 4], { outputs: [{ name: 'z' }] }), /unknown output 'z'/],
  ])('answers 400 with a precise message for %s', async (_case, body, message) => {
    const res = await send(`${server.url}/v2/models/scale/infer`, { body });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(message) });
  });

  it('answers 400 naming FP16 when the model needs a datatype the server does not support', async () => {
    const res = await send(`${server.url}/v2/models/fp16/infer`, { body: inferBody('h', [1, 2], [1, 2], {}, 'FP16') });
    expect([res.status, res.json().error]).toEqual([400, expect.stringMatching(/needs datatype FP16, which this server does not support/)]);
    expect((await send(`${server.url}/v2/models/fp16`)).json().inputs).toEqual([{ name: 'h', datatype: 'FP16', shape: [-1, 2] }]);
  });

  it.each([
    ['GET', '/v2/models/missing', /model 'missing' is not loaded/],
    ['GET', '/v2/models/scale/versions/9', /model 'scale' version '9' is not loaded/],
    ['POST', '/v2/models/missing/infer', /model 'missing' is not loaded/],
    ['GET', '/v2/models/scale/versions/2/ready', /version '2' is not loaded/],
    ['GET', '/nowhere', /no route for GET \/nowhere/],
  ])('answers 404 for %s %s', async (method, path, message) => {
    const res = await send(`${server.url}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
    expect([res.status, res.json().error]).toEqual([404, expect.stringMatching(message)]);
  });

  it('answers 400 for a malformed percent-encoded model name', async () => {
    const res = await send(`${server.url}/v2/models/%E0%A4%A/ready`);
    expect([res.status, res.json().error]).toEqual([400, "malformed percent-encoding in path segment '%E0%A4%A'"]);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await send(`${server.url}/v2/models/scale/infer`, { method: 'GET' });
    expect([res.status, res.headers.allow]).toEqual([405, 'POST']);
  });

  it('answers 413 when Content-Length announces a body over the limit, before reading it', async () => {
    const res = await send(`${server.url}/v2/models/scale/infer`, { body: 'x'.repeat(70_000) });
    expect([res.status, res.json().error]).toEqual([413, 'request body exceeds the limit of 65536 bytes']);
  });

  it('answers 413 while streaming a chunked body that passes the limit', async () => {
    const chunks = Array.from({ length: 200 }, () => Buffer.alloc(1024, 0x20));
    const res = await send(`${server.url}/v2/models/scale/infer`, { chunks });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  it('answers 429 with Retry-After when the model queue is full', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => send(`${server.url}/v2/models/strict-queue/infer`, { body: slowRows(60) })));
    const full = responses.filter((res) => res.status === 429);
    expect(full.length).toBeGreaterThan(0);
    expect(full[0].headers['retry-after']).toBe('1');
    expect(full[0].json().error).toMatch(/queue for model 'strict-queue' is full/);
    expect(responses.every((res) => res.status === 200 || res.status === 429)).toBe(true);
  });

  it('answers 504 when inference exceeds the model request timeout', async () => {
    const res = await send(`${server.url}/v2/models/short-timeout/infer`, { body: slowRows(100) });
    expect([res.status, res.json().error]).toEqual([504, "inference on model 'short-timeout' did not finish within 2 ms"]);
  });

  it('serves SageMaker GET /ping and POST /invocations (model chosen by header when several are loaded)', async () => {
    expect((await send(`${server.url}/ping`)).status).toBe(200);
    const body = inferBody('x', [1, 4], [1, 1, 1, 1]);
    const chosen = await send(`${server.url}/invocations`, { body, headers: { 'x-amzn-sagemaker-target-model': 'scale' } });
    expect(chosen.json().outputs[0].data).toEqual([1, 1, 1, 1]);
    const ambiguous = await send(`${server.url}/invocations`, { body });
    expect([ambiguous.status, ambiguous.json().error]).toEqual([400, expect.stringMatching(/needs a model: 7 are loaded/)]);
  });

  it('exposes the documented metrics on GET /metrics', async () => {
    const res = await send(`${server.url}/metrics`);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'serving_requests_total{model="scale",version="1",status="200"}',
      'serving_requests_total{model="scale",version="1",status="400"}',
      'serving_requests_total{model="_unknown",version="",status="404"}',
      'serving_requests_total{model="strict-queue",version="1",status="429"}',
      'serving_requests_total{model="short-timeout",version="1",status="504"}',
      'serving_request_duration_seconds_bucket',
      'serving_queue_duration_seconds_bucket',
      'serving_compute_duration_seconds_bucket',
      'serving_batch_size_bucket',
      'serving_inflight_requests{model="scale"} 0',
      'serving_queue_depth{model="scale",version="1"} 0',
      'serving_model_load_duration_seconds_bucket',
      'serving_model_version_info{model="scale",version="1"} 1',
      'serving_ready 1',
      'process_cpu_seconds_total',
    ]) {
      expect(res.body).toContain(name);
    }
  });
});

describe('readiness', () => {
  it('answers 503 with Retry-After while models load and while draining; liveness stays 200', async () => {
    const loading = await startServer(repo.root, {}, { scan: false });
    try {
      const ready = await send(`${loading.url}/v2/health/ready`);
      expect([ready.status, ready.headers['retry-after'], ready.json().error]).toEqual([503, '5', 'models are still loading']);
      expect((await send(`${loading.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [1, 2, 3, 4]) })).status).toBe(503);
      await loading.app.repository.start();
      expect((await send(`${loading.url}/v2/health/ready`)).status).toBe(200);
      loading.app.core.startDraining();
      const draining = await send(`${loading.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [1, 2, 3, 4]) });
      expect([draining.status, draining.headers['retry-after'], draining.json().error]).toEqual([503, '1', 'server is shutting down']);
      expect((await send(`${loading.url}/v2/health/ready`)).status).toBe(503);
      expect((await send(`${loading.url}/v2/health/live`)).status).toBe(200);
    } finally {
      await loading.stop();
    }
  });
});
