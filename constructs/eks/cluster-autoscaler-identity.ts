import { Stack } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CLUSTER_AUTOSCALER } from '../kubernetes/workload-names';
import { acknowledgeWildcardResource } from '../serving/wildcard-findings';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { permissionsPolicyOf } from '../shared/managed-policy-role';
import { addPodIdentityRole } from './pod-identity-role';

export interface ClusterAutoscalerIdentityProps {
  /** Literal cluster name: it is part of the ASG tag key the scaling permissions are conditioned on. */
  readonly clusterName: string;
  /** Reference to the cluster (a token for a cluster of this stack) so the association is created after it. */
  readonly clusterRef: string;
  readonly clusterArn: string;
}

/**
 * AWS permissions of the Cluster Autoscaler (the Deployment comes from the cdktf app), bound to
 * `kube-system/cluster-autoscaler` through pod identity. It may change the size of, or terminate instances in, only
 * Auto Scaling groups tagged as owned by this cluster (EKS managed node groups carry that tag), following the
 * upstream recommended policy (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md).
 */
export class ClusterAutoscalerIdentity extends Construct {
  readonly role: iam.Role;
  readonly podIdentityAssociation: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const identity = addPodIdentityRole(this, '', {
      clusterName: props.clusterRef,
      clusterArn: props.clusterArn,
      namespace: CLUSTER_AUTOSCALER.namespace,
      serviceAccount: CLUSTER_AUTOSCALER.serviceAccount,
      description: `Cluster Autoscaler of EKS cluster ${props.clusterName}: scales its node groups`,
    });
    this.role = identity.role;
    this.podIdentityAssociation = identity.association;

    // Managed node group ASGs are named eks-<nodegroup>-<uuid>; the tag condition is what ties them to this cluster.
    const nodeGroupAsgs = `arn:${stack.partition}:autoscaling:${stack.region}:${stack.account}:autoScalingGroup:*:autoScalingGroupName/eks-*`;
    const nodegroups = `arn:${stack.partition}:eks:${stack.region}:${stack.account}:nodegroup/${props.clusterName}/*/*`;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ScaleOwnNodeGroups',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: [nodeGroupAsgs],
        conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned' } },
      }),
    );
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'DescribeOwnNodeGroups', actions: ['eks:DescribeNodegroup'], resources: [nodegroups] }));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeCapacity',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        resources: ['*'],
      }),
    );

    const policy = permissionsPolicyOf(this.role);
    acknowledgeWildcardResource(
      policy,
      nodeGroupAsgs,
      'EKS names managed node group Auto Scaling groups eks-<nodegroup>-<generated id>, unknown until creation; scaling is further ' +
        'limited by the condition that the group carries the k8s.io/cluster-autoscaler/<cluster> = owned tag of this cluster.',
    );
    acknowledgeWildcardResource(
      policy,
      nodegroups,
      'Node groups are added per model after the cluster exists and their ARNs end in a generated id; the read-only ' +
        'eks:DescribeNodegroup is limited to the node groups of this one cluster.',
    );
    acknowledgeFinding(
      policy,
      Rule.iam5AnyResource,
      'The Auto Scaling and EC2 Describe* actions and ec2:GetInstanceTypesFromInstanceRequirements support no resource-level ' +
        'permissions (Service Authorization Reference); they are read-only and needed to model node group capacity.',
    );
  }
}
