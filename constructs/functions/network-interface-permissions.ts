import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * What a function in a VPC needs to manage its network interfaces, as the AWS-managed
 * `AWSLambdaVPCAccessExecutionRole` grants it, but scoped: interfaces may be created only in the given subnets and
 * security groups of this account and region. The two Describe calls support no resource-level permission.
 */
export function networkInterfaceStatements(scope: Construct, subnetIds: readonly string[], securityGroupIds: readonly string[]): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ec2', resource, resourceName });
  const anyInterface = ec2Arn('network-interface', '*');
  return [
    new iam.PolicyStatement({
      sid: 'DescribeNetworkInterfaces',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CreateNetworkInterfacesInOwnSubnets',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [anyInterface, ...subnetIds.map((id) => ec2Arn('subnet', id)), ...securityGroupIds.map((id) => ec2Arn('security-group', id))],
    }),
    new iam.PolicyStatement({
      sid: 'ManageNetworkInterfaces',
      actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: [anyInterface],
    }),
  ];
}
