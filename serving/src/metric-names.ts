/**
 * The one place the serving container's metric names live: the Prometheus names it exposes on GET /metrics (Fargate,
 * EKS), the CloudWatch EMF names its Lambda adapter publishes, and their labels/dimensions. Dashboards and alarms
 * (constructs/operations, lib/monitoring) import these instead of copying strings. No imports: the image's build
 * context is `serving/`, and the construct library reads this file as it is.
 */

/** Prometheus metric names (what a PromQL query names; histograms add `_bucket`, `_sum`, `_count`). */
export const SERVING_PROMETHEUS_METRICS = {
  requests: 'serving_requests_total',
  requestDuration: 'serving_request_duration_seconds',
  queueDuration: 'serving_queue_duration_seconds',
  computeDuration: 'serving_compute_duration_seconds',
  batchSize: 'serving_batch_size',
  inflight: 'serving_inflight_requests',
  queueDepth: 'serving_queue_depth',
  modelLoadDuration: 'serving_model_load_duration_seconds',
  modelLoadFailures: 'serving_model_load_failures_total',
  modelVersionInfo: 'serving_model_version_info',
  ready: 'serving_ready',
} as const;

/** Prometheus label names of the serving metrics. */
export const SERVING_LABELS = {
  model: 'model',
  version: 'version',
  status: 'status',
  /** Added by the scrapers, not the container: `fargate` (ADOT sidecar) or `eks` (AMP managed scraper). */
  servingTarget: 'serving_target',
} as const;

/** CloudWatch namespace, service and metric names of the EMF figures the Lambda adapter publishes per invocation. */
export const SERVING_EMF = {
  namespace: 'MlopsBlueprint/Serving',
  /** Powertools adds it as the `service` dimension of every figure. */
  service: 'serving',
  metrics: {
    /** Count, dimensions {service, model, status}. */
    requests: 'ServingRequests',
    /** Milliseconds per request, dimensions {service, model}. */
    requestLatency: 'ServingRequestLatency',
    /** Milliseconds a request waited for its batch, dimensions {service, model}. */
    queueTime: 'ServingQueueTime',
    /** Rows per session.run, dimensions {service, model}. */
    batchSize: 'ServingBatchSize',
    /** Count of model versions that failed to load, dimensions {service, model}. */
    modelLoadFailures: 'ServingModelLoadFailures',
  },
  dimensions: { model: 'model', status: 'status' },
} as const;
