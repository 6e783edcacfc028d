import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IModelRepository } from '../model-registry';
import type { ModelServing } from './model-serving';

/** One governed model: its deployment, the registry group whose approvals decide what it serves, and its pin. */
export interface RolloutModel {
  /** A Lambda or Fargate `ModelServing` built with `servedVersionParameterName` = `pinParameterName`, or an EKS one (its pin is on the Deployment). */
  readonly serving: ModelServing;
  /** SageMaker model package group of the model (`<env>-<model>`). */
  readonly modelPackageGroupName: string;
  /** Name of the SSM parameter pinning the served version (`pinParameterName(env, model)`). */
  readonly pinParameterName: string;
}

export interface ModelRolloutProps {
  /** The models whose promotions and rollbacks this function drives. */
  readonly models: readonly RolloutModel[];
  /** Where promotion writes versions: the function checks a version's model.onnx is there before rolling it out. */
  readonly modelRepository: IModelRepository;
  /** The function runs in this VPC's private subnets. */
  readonly vpc: ec2.IVpc;
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
