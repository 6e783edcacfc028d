import { DynamicBatcher } from '../batching/dynamic-batcher';
import { concatRows, splitRows } from '../batching/tensor-batch';
import { ModelNotFoundError } from '../errors';
import type { ModelConfig } from '../model-config';
import type { ServingMetrics } from '../metrics';
import { datatypeSpec, isSupported } from '../protocol/datatypes';
import type { InferBody } from '../protocol/binary-tensor';
import { decodeInferRequest, type DecodedInferRequest } from '../protocol/infer-request';
import { elementCount, isBatchable, type ModelSignature, type TensorValue } from '../protocol/signature';
import { signatureOf } from './onnx-signature';
import { InlineSession } from './inline-session';
import type { SessionHandle, SessionTensor } from './session-handle';
import { WorkerSession } from './session-worker-client';
import { createWithFirstProvider, type ExecutionProvider } from './execution-providers';
import { bindCounter, bindHistogram, type BoundCounter, type BoundHistogram } from '../metric-children';

export interface SessionThreads {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  /** Execution providers to try in order when the model's config.json names none (`EXECUTION_PROVIDERS`). */
  readonly executionProviders?: readonly ExecutionProvider[];
}

export interface LoadVersionInput {
  readonly model: string;
  readonly version: string;
  readonly modelBytes: Uint8Array;
  readonly config: ModelConfig;
  readonly threads: SessionThreads;
  readonly metrics: ServingMetrics;
}

type Outputs = ReadonlyMap<string, TensorValue>;

/** Per-request metrics of one version, bound to its labels once (no label hashing on the hot path: metric-children.ts). */
export interface VersionRequestMetrics {
  readonly duration: BoundHistogram;
  readonly succeeded: BoundCounter;
}

/**
 * One loaded version of a model: its signature, its batching queue and `instances`
 * onnxruntime sessions, each in its own worker thread (or inline, see `executor`).
 */
export class ModelVersion {
  readonly signature: ModelSignature;
  readonly batchable: boolean;
  readonly requestMetrics: VersionRequestMetrics;
  private readonly batcher: DynamicBatcher<DecodedInferRequest, Outputs>;
  private readonly computeDuration: BoundHistogram;
  private closed = false;

  static async load(input: LoadVersionInput): Promise<ModelVersion> {
    const options = {
      intraOpNumThreads: input.config.intraOpThreads ?? input.threads.intraOpThreads,
      interOpNumThreads: input.threads.interOpThreads,
      executionMode: 'sequential' as const,
      graphOptimizationLevel: 'all' as const,
      // Idle onnxruntime threads must not spin: the HTTP event loop needs those cores between batches.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    };
    const Session = input.config.executor === 'inline' ? InlineSession : WorkerSession;
    const providers = input.config.executionProviders ?? input.threads.executionProviders ?? ['cpu'];
    const { provider, value: sessions } = await createWithFirstProvider(providers, async (candidate) => {
      const created = await Promise.allSettled(
        Array.from({ length: input.config.instances }, () => Session.create(input.modelBytes, { ...options, executionProviders: [candidate] })),
      );
      const failure = created.find((result) => result.status === 'rejected');
      if (failure === undefined) return created.map((result) => (result as PromiseFulfilledResult<SessionHandle>).value);
      await Promise.all(created.flatMap((result) => (result.status === 'fulfilled' ? [result.value.release()] : [])));
      throw failure.reason;
    });
    try {
      const version = new ModelVersion(input, sessions, provider);
      await version.warmUp();
      return version;
    } catch (error) {
      await Promise.all(sessions.map((session) => session.release()));
      throw error;
    }
  }

  /** Sessions not running a batch; the batcher never runs more batches than there are sessions. */
  private readonly idleSessions: SessionHandle[];

  private constructor(
    private readonly input: LoadVersionInput,
    private readonly sessions: readonly SessionHandle[],
    /** The onnxruntime execution provider every session of this version runs on. */
    readonly executionProvider: ExecutionProvider,
  ) {
    const { model, version, config, metrics } = input;
    metrics.executionProviderInfo.set({ model, version, provider: executionProvider }, 1);
    this.idleSessions = [...sessions];
    this.signature = signatureOf(sessions[0]);
    this.batchable = isBatchable(this.signature) && config.maxBatchSize > 1;
    const labels = { model, version };
    const batchSize = bindHistogram(metrics.batchSize, labels);
    const queueDuration = bindHistogram(metrics.queueDuration, labels);
    this.computeDuration = bindHistogram(metrics.computeDuration, labels);
    this.requestMetrics = {
      duration: bindHistogram(metrics.requestDuration, labels),
      succeeded: bindCounter(metrics.requests, { ...labels, status: '200' }),
    };
    this.batcher = new DynamicBatcher(
      {
        name: model,
        maxBatchSize: this.batchable ? config.maxBatchSize : 1,
        maxQueueDelayMicros: config.maxQueueDelayMicros,
        maxQueueSize: config.maxQueueSize,
        requestTimeoutMs: config.requestTimeoutMs,
        instances: config.instances,
      },
      (items) => this.runBatch(items),
      {
        onBatchStart: (rows, waits) => {
          batchSize.observe(rows);
          for (const wait of waits) queueDuration.observe(wait);
        },
      },
    );
  }

  get model(): string {
    return this.input.model;
  }

  get version(): string {
    return this.input.version;
  }

  get config(): ModelConfig {
    return this.input.config;
  }

  decode(body: string | InferBody): DecodedInferRequest {
    return decodeInferRequest(body, this.signature, { allowNonFinite: this.input.config.allowNonFinite });
  }

  /** Requests waiting in this version's batching queue (read by serving_queue_depth at scrape time). */
  get queueDepth(): number {
    return this.batcher.queueDepth;
  }

  /** Queues a decoded request for the next batch; resolves with the requested outputs. */
  infer(request: DecodedInferRequest): Promise<Outputs> {
    if (this.closed) return Promise.reject(new ModelNotFoundError(this.model, this.version));
    return this.batcher.submit(request, request.rows);
  }

  /** Closes the session once every queued and running request has finished. */
  async retire(): Promise<void> {
    await this.batcher.whenIdle();
    this.closed = true;
    this.input.metrics.executionProviderInfo.remove({ model: this.model, version: this.version, provider: this.executionProvider });
    await Promise.all(this.sessions.map((session) => session.release()));
  }

  private async runBatch(items: readonly DecodedInferRequest[]): Promise<Outputs[]> {
    const feeds: Record<string, SessionTensor> = {};
    for (const spec of this.signature.inputs) {
      const merged = concatRows(items.map((item) => item.inputs.get(spec.name)!));
      feeds[spec.name] = { type: datatypeSpec(spec.datatype).ort, dims: merged.shape, data: merged.data };
    }
    const results = await this.runOnIdleSession(feeds);
    const perItem = items.map(() => new Map<string, TensorValue>());
    for (const spec of this.signature.outputs) {
      const result = results[spec.name];
      const tensor: TensorValue = { datatype: spec.datatype, shape: result.dims, data: result.data };
      const slices = this.batchable
        ? splitRows(
            tensor,
            items.map((item) => item.rows),
          )
        : [tensor];
      slices.forEach((slice, i) => perItem[i].set(spec.name, slice));
    }
    return perItem.map((all, i) => new Map(items[i].outputs.map((name) => [name, all.get(name)!])));
  }

  private async runOnIdleSession(feeds: Record<string, SessionTensor>): Promise<Record<string, SessionTensor>> {
    const session = this.idleSessions.pop()!;
    const stopTimer = this.computeDuration.startTimer();
    try {
      return await session.run(feeds);
    } finally {
      stopTimer();
      this.idleSessions.push(session);
    }
  }

  /** One inference on zeros per session so the first real request does not pay for lazy initialisation. */
  private async warmUp(): Promise<void> {
    if (!this.signature.inputs.every((spec) => isSupported(spec.datatype))) return;
    await Promise.all(
      this.sessions.map((session) => {
        const feeds: Record<string, SessionTensor> = {};
        for (const spec of this.signature.inputs) {
          const dims = spec.shape.map((dim) => (dim === -1 ? 1 : dim));
          const { ort, create } = datatypeSpec(spec.datatype);
          feeds[spec.name] = { type: ort, dims, data: create(elementCount(dims)) };
        }
        return session.run(feeds);
      }),
    );
  }
}
