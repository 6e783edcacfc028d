import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { ModelTrainingConfig } from '../../lib/training';
import type { ILakehouse } from '../lakehouse';

/** The registry side of a training pipeline: where it registers, and the grants to do so (ModelRegistry has them). */
export interface TrainingModelRegistry {
  readonly approvalMode: 'auto' | 'manual';
  groupName(modelName: string): string;
  /** CreateModelPackage as PendingManualApproval in this model's group only. */
  grantRegister(grantee: iam.IGrantable, modelName: string): iam.Grant;
  /** UpdateModelPackage in this model's group only; `auto` mode only. */
  grantApprove(grantee: iam.IGrantable, modelName: string): iam.Grant;
}

export interface GpuTrainingPipelineProps {
  /** The environment's name: the `Environment` tag of every job (cost allocation) and part of the run identity. */
  readonly environmentName: string;

  /** The model's training config (lib/training/training-config.ts): instance, spot, limits, image, metrics, gate. */
  readonly training: ModelTrainingConfig;

  /** Input (the model's silver dataset) and output (gold `model-artifacts/<model>/`), encrypted with its key. */
  readonly lakehouse: ILakehouse;

  /** Where the model package is registered and, in `auto` mode, approved. */
  readonly modelRegistry: TrainingModelRegistry;

  /** The serving image named in the model package's inference specification. */
  readonly servingImageUri: string;

  /** VPC whose private subnets the training instances and the steps function run in. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the training instances and the steps function.
   * @default - the VPC's private subnets with egress (`SubnetType.PRIVATE_WITH_EGRESS`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Key of the state machine's log group and the steps function's logs, environment and queue.
   * @default - a new key from `createFunctionsKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * SageMaker's retries of a job that failed with an internal error (`RetryStrategy.MaximumRetryAttempts`, 1-30).
   * @default 2
   */
  readonly jobRetryAttempts?: number;

  /**
   * Step Functions' attempts at creating the job when SageMaker refuses it (throttling, resource limits), with
   * exponential backoff from one minute.
   * @default 4
   */
  readonly createAttempts?: number;

  /**
   * How long the state machine's execution logs are kept.
   * @default Duration.days(365)
   */
  readonly logRetention?: Duration;

  /**
   * What happens to the log group and a key created here when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
