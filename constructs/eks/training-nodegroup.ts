import { Size, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EKS_TRAINING_GPUS_PER_INSTANCE } from '../../lib/training/eks-training-config';
import { ACCELERATOR_NODE_LABEL, GPU_TAINT, NVIDIA_ACCELERATOR, TRAINING_WORKLOAD, WORKLOAD_NODE_LABEL } from '../kubernetes/workload-names';
import { InvalidPropError } from '../shared/prop-validation';
import type { IEksCluster } from './eks-cluster';
import { amiType, createNodeLaunchTemplate, createNodeRole } from './model-nodegroup';
import type { TrainingNodegroupOptions } from './training-nodegroup-props';

export interface TrainingNodegroupProps extends TrainingNodegroupOptions {
  readonly cluster: IEksCluster;
}

/**
 * The GPU training node group of a cluster: NVIDIA Amazon Linux 2023, spot by default, scaling from zero, IMDSv2 only
 * with a hop limit of 1, encrypted gp3 root volume, node auto-repair. Nodes carry the GPU taint (only pods that
 * tolerate it land there), the accelerator label (the NVIDIA device plugin runs there) and the training workload label
 * (training pods select it; serving pods select their model's label, so neither lands on the other's nodes).
 */
export class TrainingNodegroup extends Construct {
  readonly nodeRole: iam.Role;
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly nodegroup: eks.CfnNodegroup;
  /** GPUs per node, the same for every instance type of the group. */
  readonly gpusPerNode: number;

  constructor(scope: Construct, id: string, props: TrainingNodegroupProps) {
    super(scope, id);
    const spot = props.spot ?? true;
    const minSize = props.minSize ?? 0;
    const rootVolumeSize = props.rootVolumeSize ?? Size.gibibytes(200);
    const subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.gpusPerNode = validate(props, minSize);

    this.nodeRole = createNodeRole(this, 'Nodes of the GPU training node group');
    this.launchTemplate = createNodeLaunchTemplate(this, rootVolumeSize);
    this.nodegroup = new eks.CfnNodegroup(this, 'Resource', {
      clusterName: props.cluster.clusterName,
      nodeRole: this.nodeRole.roleArn,
      subnets: props.cluster.vpc.selectSubnets(subnets).subnetIds,
      amiType: amiType('x86_64', true),
      instanceTypes: props.instanceTypes,
      capacityType: spot ? 'SPOT' : 'ON_DEMAND',
      // Starts at minSize; the Cluster Autoscaler reads the group's labels and taint (eks:DescribeNodegroup) to scale it from zero.
      scalingConfig: { minSize, desiredSize: minSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: 1 },
      nodeRepairConfig: { enabled: true },
      labels: { [ACCELERATOR_NODE_LABEL]: NVIDIA_ACCELERATOR, [WORKLOAD_NODE_LABEL]: TRAINING_WORKLOAD },
      taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }],
      launchTemplate: { id: this.launchTemplate.launchTemplateId, version: this.launchTemplate.latestVersionNumber },
    });
  }
}

function validate(props: TrainingNodegroupProps, minSize: number): number {
  const invalid = (prop: string, value: unknown, allowed: string) => new InvalidPropError('TrainingNodegroup', prop, value, allowed);
  if (props.instanceTypes.length === 0) throw invalid('instanceTypes', props.instanceTypes, 'at least one NVIDIA GPU instance type');
  const counts = props.instanceTypes.map((type) => {
    if (Token.isUnresolved(type)) throw invalid('instanceTypes', type, 'literal instance types (their GPU counts must be known at synth)');
    const gpus = EKS_TRAINING_GPUS_PER_INSTANCE[type];
    if (gpus === undefined) throw invalid('instanceTypes', type, `an NVIDIA GPU instance type: ${Object.keys(EKS_TRAINING_GPUS_PER_INSTANCE).join(', ')}`);
    return gpus;
  });
  if (new Set(counts).size > 1)
    throw invalid('instanceTypes', props.instanceTypes, `types with the same number of GPUs (got ${[...new Set(counts)].join(' and ')})`);
  if (!Number.isInteger(minSize) || minSize < 0) throw invalid('minSize', minSize, 'a whole number of nodes, at least 0');
  if (!Number.isInteger(props.maxSize) || props.maxSize < Math.max(1, minSize))
    throw invalid('maxSize', props.maxSize, `a whole number of nodes, at least 1 and at least minSize (${minSize})`);
  return counts[0];
}
