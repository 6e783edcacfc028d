import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { LOAD_BALANCER_SUBNET_GROUP } from '../network/platform-network';
import { InvalidPropError } from '../shared/prop-validation';

/**
 * Outputs the subnets the EKS models' Network Load Balancers go into, which the serving Terraform reads as variables:
 * `LoadBalancerSubnetIdsOutput` / `LoadBalancerSubnetCidrsOutput` (the VPC's isolated `load-balancers` group: internal
 * load balancers), `PublicSubnetIdsOutput` / `PublicSubnetCidrsOutput` (internet-facing, with a certificate) and
 * `VpcCidrOutput` (the default client range of an internal load balancer).
 */
export function addLoadBalancerSubnetOutputs(scope: Construct, vpc: ec2.IVpc): void {
  let internal: ec2.SelectedSubnets;
  try {
    internal = vpc.selectSubnets({ subnetGroupName: LOAD_BALANCER_SUBNET_GROUP });
  } catch {
    throw new InvalidPropError(
      'ServingStack',
      'vpc',
      vpc.node.path,
      `a VPC with a '${LOAD_BALANCER_SUBNET_GROUP}' subnet group (PlatformNetwork creates it) for the EKS models' load balancers`,
    );
  }
  const output = (id: string, value: string, description: string) => new CfnOutput(scope, id, { value, description });
  const cidrs = (subnets: readonly ec2.ISubnet[]) => subnets.map((subnet) => subnet.ipv4CidrBlock).join(',');
  output('LoadBalancerSubnetIdsOutput', Fn.join(',', internal.subnetIds), 'Internal load balancer subnets of the EKS models: -var load_balancer_subnet_ids=');
  output('LoadBalancerSubnetCidrsOutput', cidrs(internal.subnets), 'Their CIDR blocks: -var load_balancer_subnet_cidrs=');
  const publicSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC, onePerAz: true });
  if (publicSubnets.subnets.length > 0) {
    output(
      'PublicSubnetIdsOutput',
      Fn.join(',', publicSubnets.subnetIds),
      'Public subnets (internet-facing load balancers with --internet-facing-certificate)',
    );
    output('PublicSubnetCidrsOutput', cidrs(publicSubnets.subnets), 'Their CIDR blocks');
  }
  output('VpcCidrOutput', vpc.vpcCidrBlock, 'VPC CIDR: -var load_balancer_client_cidrs= for internal load balancers open to the VPC');
}
