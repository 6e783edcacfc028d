import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { DEFAULT_INGEST_MAX_RECORD_BYTES, INGEST_MAX_RECORD_BYTES_ENV, ingestConfigSchema } from '../../lib/config/ingest';
import { DATASETS_PREFIX, LAYOUT_ENVIRONMENT } from '../../lib/lakehouse';
import { DATASET_DIMENSION, INGEST_METRICS, INGEST_SERVICE } from '../../lambdas/ingest/ingest-metric-names';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics-namespace';
import type { ILakehouse } from '../lakehouse';
import { platformMetric } from '../operations/emitted-metrics';
import type { IQueueAlarms } from '../operations/queue-alarms';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeObjectPatterns } from './data-path-findings';
import { deploymentOptions, LAMBDAS_DIRECTORY } from './data-path-function-options';
import type { IngestionProps } from './ingestion-props';
import { ObjectCreatedTrigger } from './object-created-trigger';
import { grantListBucket, grantObjectRead, grantObjectWrite } from './object-grants';
import { LAMBDA_EXTRAS } from './lambda-extras';
import { PlatformFunction } from './platform-function';
import { resolveMaxBacklogAge, watchTriggerBacklog } from './trigger-backlog';

/**
 * Ingestion: every object created in the lakehouse's bronze bucket is checked against its data contract
 * (`lambdas/ingest`); valid records land in silver `datasets/` as partitioned Parquet, rejected ones in the silver
 * quarantine prefix with their reasons. Owns its function, its S3 `Object Created` trigger (queue, rule), the grants
 * (bronze read, silver write on those two prefixes only), the environment the handler reads and the acknowledgments
 * of those grants. `addAlarms` watches the dead-letter queue and the trigger's backlog.
 *
 * The handler's own figures (`metricRowsIn` ...) are static: they carry the `service` and `dataset` dimensions, not the
 * function's name, so an alarm on them (PlatformAlarms) needs no reference to the function or its stack.
 */
export class Ingestion extends PlatformFunction {
  /** Rows read from the bronze objects of `dataset` (sum per 5 minutes by default). */
  static metricRowsIn(dataset: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ingestMetric(INGEST_METRICS.rowsIn, { [DATASET_DIMENSION]: dataset }, props);
  }

  /** Rows of `dataset` that passed the contract and were written to silver (sum per 5 minutes by default). */
  static metricRowsValid(dataset: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ingestMetric(INGEST_METRICS.rowsValid, { [DATASET_DIMENSION]: dataset }, props);
  }

  /** Rows of `dataset` the contract refused, written to quarantine with their reasons (sum per 5 minutes by default). */
  static metricRowsQuarantined(dataset: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ingestMetric(INGEST_METRICS.rowsQuarantined, { [DATASET_DIMENSION]: dataset }, props);
  }

  /** Bronze objects of `dataset` written to silver (sum per 5 minutes by default): silence means stale silver data. */
  static metricObjectsIngested(dataset: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ingestMetric(INGEST_METRICS.objectsIngested, { [DATASET_DIMENSION]: dataset }, props);
  }

  /** Trigger messages that are not a bronze object event (sum per 5 minutes by default). */
  static metricPoisonMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return ingestMetric(INGEST_METRICS.poisonMessages, {}, props);
  }

  readonly lakehouse: ILakehouse;
  /** `Object Created` in bronze → queue → this function. */
  readonly trigger: ObjectCreatedTrigger;
  readonly maxBacklogAge: Duration;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    const { lakehouse } = props;
    const maxRecordBytes = props.maxRecordBytes ?? DEFAULT_INGEST_MAX_RECORD_BYTES;
    if (!ingestConfigSchema.shape.maxRecordBytes.safeParse(maxRecordBytes).success) {
      throw new InvalidPropError('Ingestion', 'maxRecordBytes', maxRecordBytes, 'an integer number of bytes from 1024 (1 KiB) to 67108864 (64 MiB)');
    }
    super(scope, id, {
      ...deploymentOptions(props),
      entry: path.join(LAMBDAS_DIRECTORY, 'ingest', 'handler.ts'),
      description: 'Bronze object -> contract check -> silver Parquet + quarantine',
      memorySize: props.memorySize ?? 3538,
      timeout: props.timeout ?? Duration.minutes(15),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 10,
      environment: {
        SILVER_BUCKET: lakehouse.silverBucket.bucketName,
        [LAYOUT_ENVIRONMENT.quarantinePrefix]: lakehouse.quarantinePrefix,
        [INGEST_MAX_RECORD_BYTES_ENV]: String(maxRecordBytes),
      },
      // The parquet-wasm module and the Parquet encoder worker, beside the bundle.
      ...LAMBDA_EXTRAS.ingest,
    });
    this.lakehouse = lakehouse;
    this.maxBacklogAge = resolveMaxBacklogAge('Ingestion', props.maxBacklogAge);

    const silver = (keyPattern: string) => ({ bucket: lakehouse.silverBucket, encryptionKey: lakehouse.encryptionKey, keyPattern });
    grantObjectRead(this.role, { bucket: lakehouse.bronzeBucket, encryptionKey: lakehouse.encryptionKey, keyPattern: '*' });
    // Read on datasets/ and ListBucket: the idempotency check (HeadObject) must tell "absent" (404) from "forbidden" (403).
    grantObjectRead(this.role, silver(`${DATASETS_PREFIX}*`));
    grantListBucket(this.role, lakehouse.silverBucket);
    grantObjectWrite(this.role, silver(`${DATASETS_PREFIX}*`));
    grantObjectWrite(this.role, silver(`${lakehouse.quarantinePrefix}*`));
    acknowledgeObjectPatterns(this, [
      [lakehouse.bronzeBucket, '*', 'it reads whichever raw file lands in bronze (any dataset, any key)'],
      [lakehouse.silverBucket, `${DATASETS_PREFIX}*`, 'it writes and checks the Parquet file of each source object version under datasets/'],
      [lakehouse.silverBucket, `${lakehouse.quarantinePrefix}*`, 'it writes the rejected records of each source object version to quarantine'],
    ]);
    this.trigger = new ObjectCreatedTrigger(this, 'Trigger', { bucket: lakehouse.bronzeBucket, target: this });
  }

  /** The dead-letter queue alarms, and the trigger queue's backlog older than `maxBacklogAge`. */
  override addAlarms(alerts: IQueueAlarms): cloudwatch.Alarm[] {
    return [...super.addAlarms(alerts), watchTriggerBacklog(this.trigger, alerts, this.maxBacklogAge)];
  }
}

function ingestMetric(metricName: string, dimensions: Record<string, string>, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return platformMetric({ namespace: METRICS_NAMESPACE, service: INGEST_SERVICE, metricName }, dimensions, {
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}
