import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** Label for requests naming a model that is not loaded: keeps client-chosen names out of label values. */
export const UNKNOWN_MODEL = '_unknown';

/** Every Prometheus metric the server exposes on GET /metrics (names documented in docs/serving.md). */
export class ServingMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'serving_requests_total',
    help: 'Inference requests answered, by model, version and HTTP status',
    labelNames: ['model', 'version', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'serving_request_duration_seconds',
    help: 'Time from the request body being read to the response being ready',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly queueDuration = new Histogram({
    name: 'serving_queue_duration_seconds',
    help: 'Time a request waited in the batching queue',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly computeDuration = new Histogram({
    name: 'serving_compute_duration_seconds',
    help: 'Duration of one session.run (one batch)',
    labelNames: ['model', 'version'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'serving_batch_size',
    help: 'Rows per session.run',
    labelNames: ['model', 'version'] as const,
    buckets: BATCH_SIZE_BUCKETS,
    registers: [this.registry],
  });
  readonly inflight = new Gauge({
    name: 'serving_inflight_requests',
    help: 'Inference requests admitted and not yet answered',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'serving_queue_depth',
    help: 'Requests waiting in the batching queue',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });
  readonly modelLoadDuration = new Histogram({
    name: 'serving_model_load_duration_seconds',
    help: 'Time to fetch, load and warm a model version',
    labelNames: ['model'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly modelLoadFailures = new Counter({
    name: 'serving_model_load_failures_total',
    help: 'Model versions that failed to load (the previous version keeps serving)',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly modelVersionInfo = new Gauge({
    name: 'serving_model_version_info',
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
  readonly ready = new Gauge({
    name: 'serving_ready',
    help: '1 when the server reports ready, 0 while loading or draining',
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
