import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { DriftModel } from '../../lib/drift';
import type { ILakehouse } from '../lakehouse';
import type { IModelRegistry, IModelRepository } from '../model-registry';

export interface DriftDetectionProps {
  /** The environment's name: goes into every `DriftDetected` event, and the retrain rule matches only its own. */
  readonly environmentName: string;

  /** The models to check, with their thresholds (the environment config's models that have a `drift` block). */
  readonly models: readonly DriftModel[];

  /** Capture in silver `inference-capture/`, detector state in silver `drift-detector/`, registry baselines in gold `model-artifacts/`. */
  readonly lakehouse: ILakehouse;

  /** Baselines beside each model version (`<prefix><model>/<version>/drift-baseline.json`). */
  readonly modelRepository: IModelRepository;

  /** Baselines registered on model packages (`DriftCheckBaselines.ModelDataQuality.Statistics`). */
  readonly modelRegistry: IModelRegistry;

  readonly vpc: ec2.IVpc;

  /**
   * Time between detector runs; each reads the capture written since the previous one.
   * @default Duration.minutes(60)
   */
  readonly schedule?: Duration;

  /**
   * Where `DriftDetected` is put.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * The function that starts retraining (`start-training`): a rule sends it every `DriftDetected` of this environment.
   * @default - no rule; add one later with `addRetrainTarget()`
   */
  readonly retrainFunction?: lambda.IFunction;

  /**
   * Notified when a drift alarm fires (one alarm per model: a run found at least one drifted feature).
   * @default - the alarms have no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;

  /** @default - a new key for the function's logs, environment and queue */
  readonly encryptionKey?: kms.IKey;

  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}
