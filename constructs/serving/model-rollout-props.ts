import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IModelRepository } from '../model-registry';
import type { ModelServing } from './model-serving';
import type { QueryablePrometheusWorkspace } from './prometheus-workspace';

/** One governed model: its deployment, the registry group whose approvals decide what it serves, and its pin. */
export interface RolloutModel {
  /** A Lambda or Fargate `ModelServing` built with `servedVersionParameterName` = `pinParameterName`, or an EKS one (its pin is on the Deployment). */
  readonly serving: ModelServing;
  /** SageMaker model package group of the model (`<env>-<model>`). */
  readonly modelPackageGroupName: string;
  /** Name of the SSM parameter pinning the served version (`pinParameterName(env, model)`). */
  readonly pinParameterName: string;
}

/** How an EKS rollout is judged on the model version's error rate and p99 latency (lib/monitoring/serving-signals.ts). */
export interface EksRolloutSignalOptions {
  /**
   * How long the function keeps checking the signals after every replica serves the new version (checks also run
   * during the rolling update). Cut short by the function's deadline when the update itself took long.
   * @default Duration.minutes(5)
   */
  readonly bake?: Duration;
  /**
   * Consecutive checks (one per 10-second poll) with a signal above its threshold that roll the version back.
   * @default 3
   */
  readonly evaluationsToRollBack?: number;
  /**
   * Share of the version's requests (percent) answered with a 5XX above which it is rolled back; the latency
   * threshold is the model's p99 objective (`traffic.p99LatencyMs`).
   * @default DEFAULT_ERROR_RATE_THRESHOLD_PERCENT (1, as the workspace's ServingErrorRateHigh rule)
   */
  readonly errorRateThresholdPercent?: number;
}

export interface ModelRolloutProps {
  /** The models whose promotions and rollbacks this function drives. */
  readonly models: readonly RolloutModel[];
  /** Where promotion writes versions: the function checks a version's model.onnx is there before rolling it out. */
  readonly modelRepository: IModelRepository;
  /** The function runs in this VPC's private subnets. */
  readonly vpc: ec2.IVpc;
  /**
   * The workspace the EKS models' metrics reach (the AMP scraper's): the function queries the new version's error
   * rate and p99 latency there during and after an EKS rollout, with `aps:QueryMetrics` on it only.
   * @default - none; required when a model is served on EKS
   */
  readonly metricsWorkspace?: QueryablePrometheusWorkspace;
  /**
   * How EKS rollouts are judged on the signals.
   * @default - a 5-minute bake, 3 consecutive checks, a 1% error rate and each model's p99 objective
   */
  readonly eksSignals?: EksRolloutSignalOptions;
  /**
   * Key for the function's logs, environment and dead-letter queue.
   * @default - a new key (`createFunctionsKey`)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the function's log group, queue and key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
