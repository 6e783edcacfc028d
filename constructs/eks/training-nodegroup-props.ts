import type { Size } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/** The GPU training node group, as `IEksCluster.addTrainingNodegroup` creates it (config: `training.eks`). */
export interface TrainingNodegroupOptions {
  /**
   * NVIDIA GPU instance types (x86_64), all with the same GPU count, e.g. `['g5.2xlarge', 'g6.2xlarge']`
   * (`EKS_TRAINING_GPUS_PER_INSTANCE` lists the allowed ones); several types give spot more capacity pools.
   */
  readonly instanceTypes: string[];

  /** Most nodes; the Cluster Autoscaler adds them while training pods are pending. */
  readonly maxSize: number;

  /**
   * Spot capacity: a reclaimed node evicts its pods, which the Job recreates and which resume from their checkpoint.
   * @default true
   */
  readonly spot?: boolean;

  /**
   * Nodes kept while nothing trains.
   * @default 0
   */
  readonly minSize?: number;

  /**
   * Root volume size (gp3, encrypted): the NVIDIA AMI plus training images.
   * @default Size.gibibytes(200)
   */
  readonly rootVolumeSize?: Size;

  /**
   * Subnets of the nodes.
   * @default - the cluster VPC's private subnets with egress
   */
  readonly subnets?: ec2.SubnetSelection;
}
