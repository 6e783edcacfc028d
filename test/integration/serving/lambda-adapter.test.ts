/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The Lambda adapter with recorded API Gateway HTTP API (payload 2.0) and Function URL events,
// checked against Powertools' schemas of those events, through the real entry module and core.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIGatewayProxyEventV2Schema, LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { FIXTURES, TempRepository } from './support/test-server';
import { emfDocumentsDuring } from '../../support/emf';

const repo = new TempRepository({ 'scale/1/model.onnx': 'scale-v1.onnx' });
const savedEnv = { ...process.env };
const recorded = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(join(FIXTURES, 'lambda-events', name), 'utf8'));
const httpApiEvent = recorded('http-api-v2.json');
const functionUrlEvent = recorded('function-url.json');

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let entry: { handler: Handler; servingApp: { repository: { close(): Promise<void> } } };

beforeAll(() => {
  Object.assign(process.env, {
    MODEL_REPOSITORY: repo.root,
    ORT_INTRA_OP_THREADS: '1',
    MODEL_POLL_INTERVAL_SECONDS: '0',
    MAX_BODY_BYTES: '2048',
    LOG_LEVEL: 'ERROR',
  });
  jest.isolateModules(() => {
    entry = require('../../../serving/src/lambda');
  });
});
afterAll(async () => {
  await entry.servingApp.repository.close();
  process.env = savedEnv;
  repo.remove();
});

/** A recorded event with another method, path and body; the rest of the recorded shape is kept. */
function variant(base: APIGatewayProxyEventV2, method: string, rawPath: string, body?: string): APIGatewayProxyEventV2 {
  return {
    ...base,
    rawPath,
    body,
    isBase64Encoded: false,
    requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method, path: rawPath } },
  };
}

describe('recorded events', () => {
  it('match the documented event schemas', () => {
    expect(() => APIGatewayProxyEventV2Schema.parse(httpApiEvent)).not.toThrow();
    expect(() => LambdaFunctionUrlSchema.parse(functionUrlEvent)).not.toThrow();
  });
});

describe('Lambda handler', () => {
  it('serves infer from an HTTP API event on a named stage (stage prefix stripped), echoing the request id', async () => {
    const result = await entry.handler(httpApiEvent);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'JKJaXmPLvHcESHA=' });
    expect(JSON.parse(result.body!)).toEqual({
      model_name: 'scale',
      model_version: '1',
      id: 'apigw',
      outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
    });
  });

  it('serves infer from a Function URL event with a base64 body', async () => {
    const result = await entry.handler(functionUrlEvent);
    expect([result.statusCode, JSON.parse(result.body!).outputs[0].data]).toEqual([200, [1, 1, 1, 1]]);
  });

  it.each([
    ['GET', '/v2/health/ready', 200, { ready: true }],
    ['GET', '/v2/health/live', 200, { live: true }],
    ['GET', '/v2/models/scale/ready', 200, { name: 'scale', versions: ['1'], ready: true }],
    ['GET', '/v2/models/unknown', 404, { error: "model 'unknown' is not loaded" }],
    ['DELETE', '/v2/models/scale', 405, { error: 'DELETE is not allowed on /v2/models/scale (allowed: GET)' }],
  ])('answers %s %s from a Function URL event with %i', async (method, path, status, body) => {
    const result = await entry.handler(variant(functionUrlEvent, method, path));
    expect([result.statusCode, JSON.parse(result.body!)]).toEqual([status, body]);
  });

  it('answers 400 and 413 like the HTTP server', async () => {
    const bad = await entry.handler(variant(functionUrlEvent, 'POST', '/v2/models/scale/infer', '{"inputs": ['));
    expect([bad.statusCode, JSON.parse(bad.body!).error]).toEqual([400, expect.stringMatching(/^malformed JSON/)]);
    const large = await entry.handler(variant(functionUrlEvent, 'POST', '/v2/models/scale/infer', 'x'.repeat(4096)));
    expect([large.statusCode, JSON.parse(large.body!)]).toEqual([413, { error: 'request body exceeds the limit of 2048 bytes' }]);
  });

  it('carries binary tensor data both ways: a base64 request body in, a base64 answer out', async () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }],
        outputs: [{ name: 'y', parameters: { binary_data: true } }],
      }),
    );
    const tensor = Buffer.alloc(16);
    [1, 2, 3, 4].forEach((value, i) => tensor.writeFloatLE(value, i * 4));
    const event = {
      ...variant(functionUrlEvent, 'POST', '/v2/models/scale/infer', Buffer.concat([header, tensor]).toString('base64')),
      isBase64Encoded: true,
      headers: { ...functionUrlEvent.headers, 'Inference-Header-Content-Length': String(header.length) },
    };
    const result = await entry.handler(event);
    expect([result.statusCode, result.isBase64Encoded, result.headers!['content-type']]).toEqual([200, true, 'application/octet-stream']);
    const body = Buffer.from(result.body!, 'base64');
    const length = Number(result.headers!['inference-header-content-length']);
    expect(JSON.parse(body.subarray(0, length).toString('utf8')).outputs).toEqual([
      { name: 'y', datatype: 'FP32', shape: [1, 4], parameters: { binary_data_size: 16 } },
    ]);
    expect(body.subarray(length).equals(tensor)).toBe(true);
  });

  it('serves /metrics and SageMaker /invocations on the named stage too', async () => {
    const metrics = await entry.handler(variant(httpApiEvent, 'GET', '/prod/metrics'));
    expect(metrics.body).toContain('serving_requests_total{model="scale",version="1",status="200"}');
    const invocation = await entry.handler(variant(httpApiEvent, 'POST', '/prod/invocations', httpApiEvent.body));
    expect(invocation.statusCode).toBe(200);
  });
});

describe('EMF figures of each invocation', () => {
  const metricNames = (doc: Record<string, unknown>) =>
    (doc._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }).CloudWatchMetrics.flatMap((m) =>
      m.Metrics.map(({ Name }) => Name),
    );

  it('publishes one request, its latency, queue time and batch size under the names of SERVING_EMF, with model and service dimensions', async () => {
    const { SERVING_EMF } = await import('../../../serving/src/metric-names');
    const docs = await emfDocumentsDuring(() => entry.handler(httpApiEvent));
    const byName = new Map(docs.flatMap((doc) => metricNames(doc).map((name) => [name, doc] as const)));
    expect([...byName.keys()].sort()).toEqual(
      [SERVING_EMF.metrics.requests, SERVING_EMF.metrics.requestLatency, SERVING_EMF.metrics.queueTime, SERVING_EMF.metrics.batchSize].sort(),
    );
    expect(byName.get(SERVING_EMF.metrics.requests)).toMatchObject({
      model: 'scale',
      status: '200',
      service: SERVING_EMF.service,
      [SERVING_EMF.metrics.requests]: 1,
    });
    expect(byName.get(SERVING_EMF.metrics.batchSize)).toMatchObject({ model: 'scale', service: SERVING_EMF.service, [SERVING_EMF.metrics.batchSize]: 1 });
    const latency = byName.get(SERVING_EMF.metrics.requestLatency)![SERVING_EMF.metrics.requestLatency] as number;
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(5000);
    for (const doc of docs) expect((doc._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0].Namespace).toBe(SERVING_EMF.namespace);
  });

  it('publishes a rejected request by its status and nothing for a health check', async () => {
    const { SERVING_EMF } = await import('../../../serving/src/metric-names');
    const bad = await emfDocumentsDuring(() => entry.handler(variant(functionUrlEvent, 'POST', '/v2/models/scale/infer', '{"inputs": [')));
    expect(bad).toEqual([expect.objectContaining({ model: 'scale', status: '400', [SERVING_EMF.metrics.requests]: 1 })]);
    expect(await emfDocumentsDuring(() => entry.handler(variant(functionUrlEvent, 'GET', '/v2/health/ready')))).toEqual([]);
  });
});
