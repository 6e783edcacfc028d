import { Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCELERATOR_NODE_LABEL, GPU_TAINT, MODEL_NODE_LABEL, NVIDIA_ACCELERATOR } from '../kubernetes/workload-names';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { InvalidPropError } from '../shared/prop-validation';
import type { IEksCluster } from './eks-cluster';
import type { ModelNodegroupOptions } from './model-nodegroup-props';

export interface ModelNodegroupProps extends ModelNodegroupOptions {
  readonly cluster: IEksCluster;
}

/** The managed policies EKS requires on a node role (https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html). */
const NODE_MANAGED_POLICIES = [
  {
    name: 'AmazonEKSWorkerNodePolicy',
    rule: Rule.iam4EksWorkerNodePolicy,
    reason:
      'AWS-managed policy EKS requires on every node role so the kubelet can describe the cluster and its instance; AWS keeps it ' +
      'current with each Kubernetes release, which a copied customer-managed policy would silently miss.',
  },
  {
    name: 'AmazonEC2ContainerRegistryPullOnly',
    rule: Rule.iam4EcrPullOnly,
    reason:
      'AWS-managed pull-only ECR policy (no list or describe): nodes must pull the serving image and the EKS add-on images from ' +
      'AWS-owned registries in other accounts, whose repository ARNs AWS does not publish per region.',
  },
  {
    name: 'AmazonEKS_CNI_Policy',
    rule: Rule.iam4EksCniPolicy,
    reason:
      'AWS-managed policy the VPC CNI plugin (aws-node) needs to attach ENIs and assign pod IPs on the node; pods cannot borrow it ' +
      'because the launch template limits the instance metadata hop count to 1.',
  },
] as const;

/** `NodeRole`: the role EKS nodes run as, with the three managed policies EKS requires (acknowledged with their reasons). */
export function createNodeRole(scope: Construct, description: string): ManagedPolicyRole {
  const role = new ManagedPolicyRole(scope, 'NodeRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description,
    managedPolicies: NODE_MANAGED_POLICIES.map((policy) => iam.ManagedPolicy.fromAwsManagedPolicyName(policy.name)),
  });
  for (const policy of NODE_MANAGED_POLICIES) acknowledgeFinding(role.node.defaultChild!, policy.rule, policy.reason);
  return role;
}

/** `LaunchTemplate`: IMDSv2 only with a hop limit of 1 (pods cannot reach node credentials), detailed monitoring, encrypted gp3 root volume. */
export function createNodeLaunchTemplate(scope: Construct, rootVolumeSize: Size): ec2.LaunchTemplate {
  return new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
    requireImdsv2: true,
    httpPutResponseHopLimit: 1,
    detailedMonitoring: true,
    blockDevices: [
      {
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(rootVolumeSize.toGibibytes(), {
          encrypted: true,
          volumeType: ec2.EbsDeviceVolumeType.GP3,
          deleteOnTermination: true,
        }),
      },
    ],
  });
}

export function amiType(architecture: ModelNodegroupOptions['architecture'], gpu: boolean): string {
  if (architecture === 'arm64') return gpu ? 'AL2023_ARM_64_NVIDIA' : 'AL2023_ARM_64_STANDARD';
  return gpu ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD';
}

/**
 * One model's EKS managed node group: Amazon Linux 2023 (NVIDIA variant for GPU models) in private subnets, IMDSv2
 * only with a hop limit of 1 (pods get AWS credentials from pod identity, never from the node), encrypted gp3 root
 * volume, node auto-repair, and labels/taints the model's pods select.
 */
export class ModelNodegroup extends Construct {
  readonly nodeRole: ManagedPolicyRole;
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly nodegroup: eks.CfnNodegroup;

  constructor(scope: Construct, id: string, props: ModelNodegroupProps) {
    super(scope, id);
    const subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const rootVolumeSize = props.rootVolumeSize ?? Size.gibibytes(props.gpu ? 100 : 50);
    if (!Number.isInteger(props.minSize) || props.minSize < 0) {
      throw new InvalidPropError('ModelNodegroup', 'minSize', props.minSize, 'a whole number of nodes, at least 0');
    }
    if (!Number.isInteger(props.maxSize) || props.maxSize < Math.max(1, props.minSize)) {
      throw new InvalidPropError('ModelNodegroup', 'maxSize', props.maxSize, `a whole number of nodes, at least 1 and at least minSize (${props.minSize})`);
    }

    this.nodeRole = createNodeRole(this, `Nodes of the ${props.modelName} serving node group`);
    this.launchTemplate = createNodeLaunchTemplate(this, rootVolumeSize);

    const labels: Record<string, string> = { [MODEL_NODE_LABEL]: props.modelName };
    if (props.gpu) labels[ACCELERATOR_NODE_LABEL] = NVIDIA_ACCELERATOR;
    this.nodegroup = new eks.CfnNodegroup(this, 'Resource', {
      clusterName: props.cluster.clusterName,
      nodeRole: this.nodeRole.roleArn,
      subnets: props.cluster.vpc.selectSubnets(subnets).subnetIds,
      amiType: amiType(props.architecture, props.gpu),
      instanceTypes: [props.instanceType],
      capacityType: 'ON_DEMAND',
      // Starts at minSize; a cluster autoscaler (see docs/eks-serving.md) moves it up to maxSize when pods are pending.
      scalingConfig: { minSize: props.minSize, desiredSize: props.minSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: 1 },
      nodeRepairConfig: { enabled: true },
      labels,
      taints: props.gpu ? [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: 'NO_SCHEDULE' }] : undefined,
      launchTemplate: { id: this.launchTemplate.launchTemplateId, version: this.launchTemplate.latestVersionNumber },
    });
  }
}
