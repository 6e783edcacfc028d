import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { LambdaSizing } from '../../lib/decision';
import type { IModelRepository } from '../model-registry';

/** How callers reach the function: a Lambda Function URL, or an API Gateway HTTP API; both require SigV4 (IAM). */
export type LambdaServingEndpoint = 'function-url' | 'http-api';

export interface LambdaServingProps {
  /** The model this function serves; used in descriptions and alarm names. */
  readonly modelName: string;
  /** Memory, timeout, architecture and concurrency, as the decision matrix sized them. */
  readonly sizing: LambdaSizing;
  /** Where the serving container reads approved models (`MODEL_REPOSITORY`); the function gets read access. */
  readonly modelRepository: IModelRepository;
  /** The function runs in this VPC's private subnets (with egress). */
  readonly vpc: ec2.IVpc;
  /** The serving image, built for `sizing.architecture`; the function runs it with the Lambda handler as CMD. */
  readonly image: ecr_assets.DockerImageAsset;

  /**
   * The endpoint in front of the `live` alias.
   * @default 'function-url'
   */
  readonly endpoint?: LambdaServingEndpoint;

  /**
   * p99 duration above which a canary deployment is rolled back.
   * @default - 80% of the function timeout
   */
  readonly latencyObjective?: Duration;

  /**
   * Share of invocations (percent) that may fail before a canary deployment is rolled back.
   * @default 1
   */
  readonly errorRateThresholdPercent?: number;

  /**
   * How CodeDeploy shifts traffic from the old to the new version of the `live` alias.
   * @default LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;

  /**
   * Action (e.g. an SNS topic) the rollback alarms also notify.
   * @default - none: the alarms only drive CodeDeploy's automatic rollback
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;

  /**
   * Key that encrypts the function's log group (and the HTTP API access logs).
   * @default - a new KMS key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Time the function's logs are kept.
   * @default Duration.days(365)
   */
  readonly logRetention?: Duration;

  /**
   * What happens to the log groups and the key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * SSM parameter pinning the model version this deployment serves (`createServedVersionPin`), read by CloudFormation
   * into `SERVED_MODEL_VERSION` when it creates or updates the deployment; a `ModelRollout` moves it through the
   * target's own progressive deployment (docs/serving-targets.md, "Governed rollout").
   * @default - no pin: the container serves the newest version in the repository and switches on its own (no rollout, no rollback)
   */
  readonly servedVersionParameterName?: string;
}
