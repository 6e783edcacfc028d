import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { DATASETS_PREFIX, keysUnder, MATERIALIZATION_FAILURES_PREFIX, MATERIALIZATION_PROGRESS_PREFIX } from '../../lib/lakehouse';
import { FEATURE_GROUP_DIMENSION, MATERIALIZE_METRICS, MATERIALIZE_SERVICE } from '../../lambdas/materialize-features/materialize-metrics';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics-namespace';
import type { IFeatureStore } from '../feature-store';
import { platformMetric } from '../operations/emitted-metrics';
import type { IQueueAlarms } from '../operations/queue-alarms';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeObjectPatterns } from './data-path-findings';
import { deploymentOptions, LAMBDAS_DIRECTORY } from './data-path-function-options';
import type { FeatureMaterializationProps } from './feature-materialization-props';
import { ObjectCreatedTrigger } from './object-created-trigger';
import { grantListBucket, grantObjectRead, grantObjectWrite } from './object-grants';
import { PlatformFunction } from './platform-function';
import { resolveMaxBacklogAge, watchTriggerBacklog } from './trigger-backlog';

const NAME = 'FeatureMaterialization';
/** PutRecord calls in flight that the handler accepts (`PUT_RECORD_CONCURRENCY`). */
const PUT_RECORD_CONCURRENCY = { min: 1, max: 256 };

/**
 * Feature materialization: every new silver Parquet file under `datasets/` is turned into feature records of every
 * group of the feature store (`lambdas/materialize-features`) and written with PutRecord; records that fail are
 * reported to silver `materialization-failures/`. Owns its function, its S3 `Object Created` trigger, the grants
 * (silver read on `datasets/`, write on the failure prefix, PutRecord on the groups), the environment and the
 * acknowledgments. `addAlarms` watches the dead-letter queue and the trigger's backlog.
 *
 * The handler's own figures (`metricRecordsFailed` ...) are static: they carry the `service` and `FeatureGroup`
 * dimensions, not the function's name, so an alarm on them (PlatformAlarms) needs no reference to the function.
 */
export class FeatureMaterialization extends PlatformFunction {
  /** Records of `featureGroup` that PutRecord did not accept after every retry (sum per 5 minutes by default). */
  static metricRecordsFailed(featureGroup: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return materializeMetric(MATERIALIZE_METRICS.recordsFailed, featureGroup, props);
  }

  /** Rows the definition of `featureGroup` refused, written to the failure report (sum per 5 minutes by default). */
  static metricRecordsRejected(featureGroup: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return materializeMetric(MATERIALIZE_METRICS.recordsRejected, featureGroup, props);
  }

  /** Records of `featureGroup` written to the offline store as Parquet (sum per 5 minutes by default). */
  static metricRecordsWrittenOffline(featureGroup: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return materializeMetric(MATERIALIZE_METRICS.recordsWrittenOffline, featureGroup, props);
  }

  /** PutRecord calls of `featureGroup` retried after a throttle or a transient error (sum per 5 minutes by default). */
  static metricRecordRetries(featureGroup: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return materializeMetric(MATERIALIZE_METRICS.recordRetries, featureGroup, props);
  }

  /** Records of `featureGroup` written to the online store (sum per 5 minutes by default). */
  static metricRecordsWrittenOnline(featureGroup: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return materializeMetric(MATERIALIZE_METRICS.recordsWrittenOnline, featureGroup, props);
  }

  readonly featureStore: IFeatureStore;
  /** `Object Created` under silver `datasets/` → queue → this function. */
  readonly trigger: ObjectCreatedTrigger;
  readonly maxBacklogAge: Duration;

  constructor(scope: Construct, id: string, props: FeatureMaterializationProps) {
    const { lakehouse, featureStore } = props;
    const putRecordConcurrency = props.putRecordConcurrency ?? 32;
    validate(props, putRecordConcurrency);
    super(scope, id, {
      ...deploymentOptions(props),
      entry: path.join(LAMBDAS_DIRECTORY, 'materialize-features', 'handler.ts'),
      description: 'Silver Parquet -> feature records -> Feature Store PutRecord',
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(15),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 5,
      environment: {
        // Definitions under the groups' physical names (which carry the environment).
        FEATURE_GROUPS: JSON.stringify(featureStore.physicalDefinitions()),
        FAILURE_REPORT_BUCKET: lakehouse.silverBucket.bucketName,
        PUT_RECORD_CONCURRENCY: String(putRecordConcurrency),
      },
    });
    this.featureStore = featureStore;
    this.maxBacklogAge = resolveMaxBacklogAge(NAME, props.maxBacklogAge);

    const silver = (keyPattern: string) => ({ bucket: lakehouse.silverBucket, encryptionKey: lakehouse.encryptionKey, keyPattern });
    grantObjectRead(this.role, silver(`${DATASETS_PREFIX}*`));
    grantObjectWrite(this.role, silver(`${MATERIALIZATION_FAILURES_PREFIX}*`));
    // Resume markers: read at the start of a (re)delivery, rewritten after each row group; ListBucket so that a
    // missing marker reads as 404 (no progress yet), not 403.
    grantObjectRead(this.role, silver(keysUnder(MATERIALIZATION_PROGRESS_PREFIX)));
    grantObjectWrite(this.role, silver(keysUnder(MATERIALIZATION_PROGRESS_PREFIX)));
    grantListBucket(this.role, lakehouse.silverBucket);
    featureStore.grantWriteAll(this.role);
    featureStore.grantOfflineWrite(this.role);
    acknowledgeObjectPatterns(this, [
      [lakehouse.silverBucket, `${DATASETS_PREFIX}*`, 'it reads each new silver Parquet file under datasets/'],
      [lakehouse.silverBucket, `${MATERIALIZATION_FAILURES_PREFIX}*`, 'it writes one failure report per (feature group, source file)'],
      [lakehouse.silverBucket, keysUnder(MATERIALIZATION_PROGRESS_PREFIX), 'it reads and rewrites one progress marker per (feature group, source file)'],
      [
        lakehouse.goldBucket,
        keysUnder(featureStore.offlineStorePrefix),
        "it writes each row group's records as Parquet under the offline-store keys Feature Store lays out (account, region, group and creation time, event-time hour)",
      ],
    ]);
    this.trigger = new ObjectCreatedTrigger(this, 'Trigger', { bucket: lakehouse.silverBucket, keyPrefix: DATASETS_PREFIX, target: this });
  }

  /** The dead-letter queue alarms, and the trigger queue's backlog older than `maxBacklogAge`. */
  override addAlarms(alerts: IQueueAlarms): cloudwatch.Alarm[] {
    return [...super.addAlarms(alerts), watchTriggerBacklog(this.trigger, alerts, this.maxBacklogAge)];
  }
}

function validate(props: FeatureMaterializationProps, putRecordConcurrency: number): void {
  if (props.featureStore.definitions.length === 0) {
    throw new InvalidPropError(
      NAME,
      'featureStore',
      props.featureStore.node.path,
      'a feature store with at least one feature group (nothing to materialize otherwise)',
    );
  }
  if (!Number.isInteger(putRecordConcurrency) || putRecordConcurrency < PUT_RECORD_CONCURRENCY.min || putRecordConcurrency > PUT_RECORD_CONCURRENCY.max) {
    throw new InvalidPropError(
      NAME,
      'putRecordConcurrency',
      putRecordConcurrency,
      `an integer from ${PUT_RECORD_CONCURRENCY.min} to ${PUT_RECORD_CONCURRENCY.max}`,
    );
  }
}

function materializeMetric(metricName: string, featureGroup: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const options = { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props };
  return platformMetric({ namespace: METRICS_NAMESPACE, service: MATERIALIZE_SERVICE, metricName }, { [FEATURE_GROUP_DIMENSION]: featureGroup }, options);
}
