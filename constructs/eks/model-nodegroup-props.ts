import type { Size } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Architecture } from '../../lib/decision';

/** One model's managed node group, as `IEksCluster.addNodegroup` creates it. */
export interface ModelNodegroupOptions {
  /** Model whose pods run here; nodes carry it as the `mlops.blueprint/model` label the pods select. */
  readonly modelName: string;

  /** EC2 instance type, e.g. `m7g.xlarge` or `g6.xlarge` (the decision's `nodeInstanceType`). */
  readonly instanceType: string;

  readonly architecture: Architecture;

  /** GPU nodes get the NVIDIA AMI, the `nvidia.com/gpu` NoSchedule taint and the accelerator label. */
  readonly gpu: boolean;

  readonly minSize: number;
  readonly maxSize: number;

  /**
   * Subnets of the nodes.
   * @default - the cluster VPC's private subnets with egress
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Root volume size (gp3, encrypted). The NVIDIA AMI and GPU images are large.
   * @default - Size.gibibytes(100) for GPU nodes, Size.gibibytes(50) otherwise
   */
  readonly rootVolumeSize?: Size;
}
