import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { DATASETS_PREFIX, MATERIALIZATION_FAILURES_PREFIX } from '../../lib/lakehouse';
import type { FeatureStore } from '../feature-store';
import type { IQueueAlarms } from '../operations/queue-alarms';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeObjectPatterns } from './data-path-findings';
import { deploymentOptions, LAMBDAS_DIRECTORY } from './data-path-function-options';
import type { FeatureMaterializationProps } from './feature-materialization-props';
import { ObjectCreatedTrigger } from './object-created-trigger';
import { grantObjectRead, grantObjectWrite } from './object-grants';
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
 */
export class FeatureMaterialization extends PlatformFunction {
  readonly featureStore: FeatureStore;
  /** `Object Created` under silver `datasets/` → queue → this function. */
  readonly trigger: ObjectCreatedTrigger;
  readonly maxBacklogAge: Duration;

  constructor(scope: Construct, id: string, props: FeatureMaterializationProps) {
    const { lakehouse, featureStore } = props;
    const putRecordConcurrency = props.putRecordConcurrency ?? 16;
    validate(props, putRecordConcurrency);
    super(scope, id, {
      ...deploymentOptions(props),
      entry: path.join(LAMBDAS_DIRECTORY, 'materialize-features', 'handler.ts'),
      description: 'Silver Parquet -> feature records -> Feature Store PutRecord',
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(15),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 5,
      environment: {
        FEATURE_GROUPS: JSON.stringify(featureStore.definitions),
        FAILURE_REPORT_BUCKET: lakehouse.silverBucket.bucketName,
        PUT_RECORD_CONCURRENCY: String(putRecordConcurrency),
      },
    });
    this.featureStore = featureStore;
    this.maxBacklogAge = resolveMaxBacklogAge(NAME, props.maxBacklogAge);

    const silver = (keyPattern: string) => ({ bucket: lakehouse.silverBucket, encryptionKey: lakehouse.encryptionKey, keyPattern });
    grantObjectRead(this.role, silver(`${DATASETS_PREFIX}*`));
    grantObjectWrite(this.role, silver(`${MATERIALIZATION_FAILURES_PREFIX}*`));
    featureStore.grantWriteAll(this.role);
    acknowledgeObjectPatterns(this, [
      [lakehouse.silverBucket, `${DATASETS_PREFIX}*`, 'it reads each new silver Parquet file under datasets/'],
      [lakehouse.silverBucket, `${MATERIALIZATION_FAILURES_PREFIX}*`, 'it writes one failure report per (feature group, source file)'],
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
    throw new InvalidPropError(NAME, 'featureStore', props.featureStore.node.path, 'a feature store with at least one feature group (nothing to materialize otherwise)');
  }
  if (!Number.isInteger(putRecordConcurrency) || putRecordConcurrency < PUT_RECORD_CONCURRENCY.min || putRecordConcurrency > PUT_RECORD_CONCURRENCY.max) {
    throw new InvalidPropError(NAME, 'putRecordConcurrency', putRecordConcurrency, `an integer from ${PUT_RECORD_CONCURRENCY.min} to ${PUT_RECORD_CONCURRENCY.max}`);
  }
}
