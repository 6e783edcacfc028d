import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DRIFT_DETECTOR_SERVICE, DRIFT_DIMENSIONS, DRIFT_METRICS } from '../../lib/drift/metric-names';
import { DATASET_DIMENSION, INGEST_METRICS, INGEST_SERVICE } from '../../lambdas/ingest/ingest-metric-names';
import { FEATURE_GROUP_DIMENSION, MATERIALIZE_METRICS, MATERIALIZE_SERVICE } from '../../lambdas/materialize-features/materialize-metrics';
import { PROMOTE_METRICS, PROMOTE_SERVICE } from '../../lambdas/promote-model/promote-metrics';
import { ROLLOUT_METRICS, ROLLOUT_SERVICE } from '../../lambdas/rollout-model/rollout-metrics';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics-namespace';
import { SERVING_EMF } from '../../serving/src/metric-names';
import { START_TRAINING_METRICS, TRAINING_MODEL_DIMENSION, TRAINING_SERVICES, TRAINING_STEP_METRICS } from '../../lib/training/training-metrics';

/** The dimension Powertools Metrics adds to every metric: the function's service name. */
export const SERVICE_DIMENSION = 'service';

/** One CloudWatch metric the platform's code publishes (EMF through Powertools), with its full dimension set. */
export interface EmittedMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** The `service` dimension's value. */
  readonly service: string;
  /** Every dimension name, `service` included, sorted. */
  readonly dimensions: readonly string[];
}

const emitted = (namespace: string, service: string, names: readonly string[], dimensions: readonly string[]): EmittedMetric[] =>
  names.map((metricName) => ({ namespace, metricName, service, dimensions: [SERVICE_DIMENSION, ...dimensions].sort() }));

/**
 * Every (namespace, metric, dimension set) the platform's code publishes to CloudWatch, built from the metric-name
 * modules: what dashboards and alarms may name. A CloudWatch metric is identified by all its dimensions, so a panel or
 * an alarm that leaves one out (Powertools' `service` most often) sees nothing.
 */
export const EMITTED_METRICS: readonly EmittedMetric[] = [
  ...emitted(
    METRICS_NAMESPACE,
    INGEST_SERVICE,
    [INGEST_METRICS.rowsIn, INGEST_METRICS.rowsValid, INGEST_METRICS.rowsQuarantined, INGEST_METRICS.objectsIngested],
    [DATASET_DIMENSION],
  ),
  ...emitted(METRICS_NAMESPACE, INGEST_SERVICE, [INGEST_METRICS.objectsAlreadyIngested, INGEST_METRICS.poisonMessages], []),
  ...emitted(
    METRICS_NAMESPACE,
    MATERIALIZE_SERVICE,
    [
      MATERIALIZE_METRICS.rowsRead,
      MATERIALIZE_METRICS.recordsWrittenOffline,
      MATERIALIZE_METRICS.recordsWrittenOnline,
      MATERIALIZE_METRICS.recordsRejected,
      MATERIALIZE_METRICS.recordsFailed,
      MATERIALIZE_METRICS.recordRetries,
    ],
    [FEATURE_GROUP_DIMENSION],
  ),
  ...emitted(METRICS_NAMESPACE, MATERIALIZE_SERVICE, [MATERIALIZE_METRICS.objectsSkipped], []),
  ...emitted(METRICS_NAMESPACE, PROMOTE_SERVICE, Object.values(PROMOTE_METRICS), []),
  ...emitted(METRICS_NAMESPACE, ROLLOUT_SERVICE, Object.values(ROLLOUT_METRICS), []),
  ...emitted(SERVING_EMF.namespace, SERVING_EMF.service, [SERVING_EMF.metrics.requests], [SERVING_EMF.dimensions.model, SERVING_EMF.dimensions.status]),
  ...emitted(
    SERVING_EMF.namespace,
    SERVING_EMF.service,
    [SERVING_EMF.metrics.requestLatency, SERVING_EMF.metrics.queueTime, SERVING_EMF.metrics.batchSize, SERVING_EMF.metrics.modelLoadFailures],
    [SERVING_EMF.dimensions.model],
  ),
  ...emitted(
    METRICS_NAMESPACE,
    DRIFT_DETECTOR_SERVICE,
    [DRIFT_METRICS.psi, DRIFT_METRICS.ksStatistic],
    [DRIFT_DIMENSIONS.model, DRIFT_DIMENSIONS.version, DRIFT_DIMENSIONS.feature],
  ),
  ...emitted(METRICS_NAMESPACE, DRIFT_DETECTOR_SERVICE, [DRIFT_METRICS.samples], [DRIFT_DIMENSIONS.model, DRIFT_DIMENSIONS.version]),
  ...emitted(
    METRICS_NAMESPACE,
    DRIFT_DETECTOR_SERVICE,
    [DRIFT_METRICS.featuresDrifted, DRIFT_METRICS.windowsBelowMinSamples, DRIFT_METRICS.captureRecordsRejected],
    [DRIFT_DIMENSIONS.model],
  ),
  ...emitted(METRICS_NAMESPACE, TRAINING_SERVICES.startTraining, Object.values(START_TRAINING_METRICS), [TRAINING_MODEL_DIMENSION]),
  ...emitted(METRICS_NAMESPACE, TRAINING_SERVICES.trainingSteps, Object.values(TRAINING_STEP_METRICS), [TRAINING_MODEL_DIMENSION]),
];

/** The catalog entry of one metric; throws when the code publishes no such metric. */
export function emittedMetric(namespace: string, metricName: string): EmittedMetric {
  const found = EMITTED_METRICS.find((metric) => metric.namespace === namespace && metric.metricName === metricName);
  if (!found) throw new Error(`no platform code publishes ${namespace}/${metricName}`);
  return found;
}

/**
 * The CloudWatch metric one of the platform's functions publishes, with its whole dimension set (`service` added):
 * what the constructs' `metricXxx()` methods, and the alarms built from them, are made of. Throws when no platform code
 * publishes that metric with exactly these dimensions, so an alarm cannot silently watch a metric that never arrives.
 */
export function platformMetric(
  metric: { readonly namespace: string; readonly service: string; readonly metricName: string },
  dimensions: Readonly<Record<string, string>>,
  options: cloudwatch.MetricOptions,
): cloudwatch.Metric {
  const dimensionNames = [SERVICE_DIMENSION, ...Object.keys(dimensions)].sort();
  const published = EMITTED_METRICS.some(
    (emitted) =>
      emitted.namespace === metric.namespace &&
      emitted.metricName === metric.metricName &&
      emitted.service === metric.service &&
      emitted.dimensions.join() === dimensionNames.join(),
  );
  if (!published)
    throw new Error(
      `no platform code publishes ${metric.namespace}/${metric.metricName} (service ${metric.service}) with dimensions ${dimensionNames.join(', ')}`,
    );
  return new cloudwatch.Metric({
    ...options,
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensionsMap: { [SERVICE_DIMENSION]: metric.service, ...dimensions },
  });
}
