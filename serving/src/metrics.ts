import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SERVING_PROMETHEUS_METRICS as NAMES } from './metric-names';

const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** Label for requests naming a model that is not loaded: keeps client-chosen names out of label values. */
export const UNKNOWN_MODEL = '_unknown';

/** The server's current state, read when /metrics is scraped. */
export interface LiveServingState {
  inflightByModel(): ReadonlyMap<string, number>;
  queueDepths(): Iterable<{ readonly model: string; readonly version: string; readonly depth: number }>;
}

/** Every Prometheus metric the server exposes on GET /metrics (names in ./metric-names, documented in docs/serving.md). */
export class ServingMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: NAMES.requests,
    help: 'Inference requests answered, by model, version and HTTP status',
    labelNames: ['model', 'version', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: NAMES.requestDuration,
    help: 'Time from the request body being read to the response being ready',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly queueDuration = new Histogram({
    name: NAMES.queueDuration,
    help: 'Time a request waited in the batching queue',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly computeDuration = new Histogram({
    name: NAMES.computeDuration,
    help: 'Duration of one session.run (one batch)',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: NAMES.batchSize,
    help: 'Rows per session.run',
    labelNames: ['model', 'version'] as const,
    buckets: BATCH_SIZE_BUCKETS,
    registers: [this.registry],
  });
  private live: LiveServingState | undefined;
  readonly inflight = new Gauge({
    name: NAMES.inflight,
    help: 'Inference requests admitted and not yet answered',
    labelNames: ['model'] as const,
    registers: [this.registry],
    collect: () => {
      if (this.live === undefined) return;
      for (const [model, count] of this.live.inflightByModel()) this.inflight.set({ model }, count);
    },
  });
  readonly queueDepth = new Gauge({
    name: NAMES.queueDepth,
    help: 'Requests waiting in the batching queue',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
    collect: () => {
      if (this.live === undefined) return;
      this.queueDepth.reset(); // retired versions drop out
      for (const { model, version, depth } of this.live.queueDepths()) this.queueDepth.set({ model, version }, depth);
    },
  });
  readonly modelLoadDuration = new Histogram({
    name: NAMES.modelLoadDuration,
    help: 'Time to fetch, load and warm a model version',
    labelNames: ['model'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly modelLoadFailures = new Counter({
    name: NAMES.modelLoadFailures,
    help: 'Model versions that failed to load (the previous version keeps serving)',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly signatureRefusals = new Counter({
    name: 'serving_model_signature_refusals_total',
    help: 'Model versions refused because their signature breaks requests to the serving version (config allowSignatureChange accepts them)',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly modelVersionInfo = new Gauge({
    name: NAMES.modelVersionInfo,
    help: 'Serving version of each model (value 1)',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });
  readonly clientDisconnects = new Counter({
    name: 'serving_client_disconnects_total',
    help: 'Clients that went away before their request was read (phase: body = mid-body, connection = reset or timeout)',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });
  readonly executionProviderInfo = new Gauge({
    name: 'serving_execution_provider_info',
    help: 'The onnxruntime execution provider (cuda, cpu) each loaded model version runs on (value 1)',
    labelNames: ['model', 'version', 'provider'] as const,
    registers: [this.registry],
  });

  readonly ready = new Gauge({
    name: NAMES.ready,
    help: '1 when the server reports ready, 0 while loading or draining',
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the current-state gauges read their values at scrape time (instead of an update on every request). */
  readLiveState(live: LiveServingState): void {
    this.live = live;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
