import type { CaptureSink } from '../capture';
import { BadRequestError, MethodNotAllowedError, ModelNotFoundError, NotReadyError, RouteNotFoundError } from '../errors';
import type { ServingLogger } from '../logger';
import { UNKNOWN_MODEL, type ServingMetrics } from '../metrics';
import { BINARY_CONTENT_TYPE, BINARY_TENSOR_DATA_EXTENSION, INFERENCE_HEADER_LENGTH, splitInferBody } from '../protocol/binary-tensor';
import { encodeInferResponse, encodeInferResponseBody, type InferResult } from '../protocol/infer-response';
import { checkJsonLimits, DEFAULT_JSON_LIMITS, type JsonLimits } from '../protocol/json-limits';
import { inferRequestJson } from '../protocol/request-json';
import type { ModelRepository } from '../repository/model-repository';
import type { ModelVersion } from '../runtime/model-version';
import { JSON_CONTENT_TYPE, jsonResponse, type CoreRequest, type CoreResponse } from './core-types';
import { errorResponse } from './error-response';

export const SERVER_NAME = 'onnx-serving';
export const SERVER_VERSION = '0.1.0';
const PLATFORM = 'onnx_onnxv1';
const MODEL_ROUTE = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(?:\/(ready|infer))?\/?$/;

export interface ServingCoreOptions {
  readonly repository: ModelRepository;
  readonly metrics: ServingMetrics;
  readonly logger: ServingLogger;
  /** Model answering SageMaker's POST /invocations; defaults to the only model when exactly one is loaded. */
  readonly sagemakerModel?: string;
  /** Inference capture: offered every answered inference request (it samples, and never throws or blocks). */
  readonly capture?: CaptureSink;
  /** Checked on every infer body's JSON (the inference header of a binary body) before it is parsed; default DEFAULT_JSON_LIMITS. */
  readonly jsonLimits?: JsonLimits;
}

/**
 * The protocol routes, independent of transport: the HTTP server and the Lambda
 * handler both turn their requests into a CoreRequest and call `handle`.
 */
export class ServingCore {
  private draining = false;
  private inflight = 0;
  /** Inference requests admitted and not yet answered, per model (read by serving_inflight_requests at scrape time). */
  private readonly inflightByModel = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ServingCoreOptions) {
    options.metrics.ready.set(0);
  }

  get ready(): boolean {
    const ready = !this.draining && this.options.repository.ready;
    this.options.metrics.ready.set(ready ? 1 : 0);
    return ready;
  }

  /** Readiness goes false and new inference requests get 503; running ones continue. */
  startDraining(): void {
    this.draining = true;
    this.options.metrics.ready.set(0);
  }

  /** Inference requests in flight per model (models seen since start; 0 once idle). */
  inflightRequests(): ReadonlyMap<string, number> {
    return this.inflightByModel;
  }

  /** Resolves when no inference request is in flight. */
  whenIdle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async handle(request: CoreRequest): Promise<CoreResponse> {
    try {
      return await this.route(request);
    } catch (error) {
      return errorResponse(error, this.options.logger, request.requestId);
    }
  }

  private async route(request: CoreRequest): Promise<CoreResponse> {
    const { method, path } = request;
    switch (path) {
      case '/v2':
        allow(request, 'GET');
        return jsonResponse(200, { name: SERVER_NAME, version: SERVER_VERSION, extensions: [BINARY_TENSOR_DATA_EXTENSION] });
      case '/v2/health/live':
        allow(request, 'GET');
        return jsonResponse(200, { live: true });
      case '/v2/health/ready':
      case '/ping':
        allow(request, 'GET');
        this.assertReady();
        return jsonResponse(200, { ready: true });
      case '/metrics': {
        allow(request, 'GET');
        const rendered = await this.options.metrics.render();
        return { status: 200, headers: { 'content-type': rendered.contentType }, body: rendered.body };
      }
      case '/invocations':
        allow(request, 'POST');
        return this.infer(request, this.sagemakerModel(request));
    }
    const match = MODEL_ROUTE.exec(path);
    if (match === null) throw new RouteNotFoundError(method, path);
    const [, rawModel, rawVersion, action] = match;
    const model = decodePathSegment(rawModel);
    const version = rawVersion === undefined ? undefined : decodePathSegment(rawVersion);
    if (action === 'infer') {
      allow(request, 'POST');
      return this.infer(request, model, version);
    }
    allow(request, 'GET');
    const served = this.resolve(model, version);
    if (action === 'ready') return jsonResponse(200, { name: served.model, versions: [served.version], ready: true });
    return jsonResponse(200, {
      name: served.model,
      versions: [served.version],
      platform: PLATFORM,
      inputs: served.signature.inputs,
      outputs: served.signature.outputs,
      parameters: { execution_provider: served.executionProvider },
    });
  }

  private async infer(request: CoreRequest, model: string, version?: string): Promise<CoreResponse> {
    const { metrics } = this.options;
    const started = process.hrtime.bigint();
    let labels = { model: UNKNOWN_MODEL, version: '' };
    this.inflight++;
    try {
      if (this.draining) throw new NotReadyError('server is shutting down', 1);
      const served = this.resolve(model, version);
      labels = { model: served.model, version: served.version };
      const versionMetrics = served.requestMetrics;
      this.inflightByModel.set(served.model, (this.inflightByModel.get(served.model) ?? 0) + 1);
      try {
        const body = splitInferBody(request.body, request.headers[INFERENCE_HEADER_LENGTH]);
        if (body.json !== undefined) checkJsonLimits(body.json, this.options.jsonLimits ?? DEFAULT_JSON_LIMITS);
        const decoded = served.decode(body);
        const captured = this.options.capture?.sample(served.model) ?? false;
        // A JSON request is captured as received; a binary one's input buffers may move to the session's worker, so its
        // JSON form is rendered before it runs.
        const capturedRequest = captured ? (body.binary === undefined ? request.body : inferRequestJson(decoded)) : undefined;
        const result: InferResult = { modelName: served.model, modelVersion: served.version, id: decoded.id, outputs: await served.infer(decoded) };
        const encoded = encodeInferResponseBody(result, decoded.binaryOutputs);
        const response: CoreResponse =
          encoded.headerLength === undefined
            ? { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body: encoded.body }
            : { status: 200, headers: { 'content-type': BINARY_CONTENT_TYPE, [INFERENCE_HEADER_LENGTH]: String(encoded.headerLength) }, body: encoded.body };
        versionMetrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
        versionMetrics.succeeded.inc();
        if (capturedRequest !== undefined) {
          const capturedResponse = typeof encoded.body === 'string' ? encoded.body : encodeInferResponse(result);
          this.options.capture!.record(served.model, served.version, request.requestId, capturedRequest, capturedResponse);
        }
        return response;
      } finally {
        this.inflightByModel.set(served.model, this.inflightByModel.get(served.model)! - 1);
      }
    } catch (error) {
      const response = errorResponse(error, this.options.logger, request.requestId);
      metrics.requests.inc({ ...labels, status: String(response.status) });
      if (response.status >= 500)
        this.options.logger.warn('inference request failed', { requestId: request.requestId, ...labels, status: response.status, reason: response.body });
      return response;
    } finally {
      if (--this.inflight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  private resolve(model: string, version: string | undefined): ModelVersion {
    const served = this.options.repository.get(model);
    if (served === undefined && !this.options.repository.ready) throw new NotReadyError(this.options.repository.notReadyReason ?? 'models are still loading');
    if (served === undefined || (version !== undefined && version !== served.version)) throw new ModelNotFoundError(model, version);
    return served;
  }

  private assertReady(): void {
    if (this.draining) throw new NotReadyError('server is shutting down', 1);
    if (!this.ready) throw new NotReadyError(this.options.repository.notReadyReason ?? 'models are still loading');
  }

  private sagemakerModel(request: CoreRequest): string {
    const target = request.headers['x-amzn-sagemaker-target-model'] ?? this.options.sagemakerModel;
    if (target !== undefined) return target;
    const models = this.options.repository.list();
    if (models.length === 1) return models[0].model;
    throw new BadRequestError(`POST /invocations needs a model: ${models.length} are loaded; set SAGEMAKER_MODEL or the X-Amzn-SageMaker-Target-Model header`);
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`malformed percent-encoding in path segment '${segment}'`);
  }
}

function allow(request: CoreRequest, method: 'GET' | 'POST'): void {
  if (request.method === method || (method === 'GET' && request.method === 'HEAD')) return;
  throw new MethodNotAllowedError(request.method, request.path, [method]);
}
