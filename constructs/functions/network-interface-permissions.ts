import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ManagedPolicyRole } from '../shared/managed-policy-role';
import { acknowledgeStatementWildcards } from '../shared/wildcard-findings';

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

/**
 * Gives a function's role the scoped network-interface statements (instead of `AWSLambdaVPCAccessExecutionRole`) and
 * acknowledges their two wildcards, bound to these statements: the Describe calls' `*` and `network-interface/*`.
 */
export function grantNetworkInterfaces(role: ManagedPolicyRole, subnetIds: readonly string[], securityGroupIds: readonly string[]): iam.PolicyStatement[] {
  const statements = networkInterfaceStatements(role, subnetIds, securityGroupIds);
  for (const statement of statements) role.addToPrincipalPolicy(statement);
  const [describe, create, manage] = statements as [iam.PolicyStatement, iam.PolicyStatement, iam.PolicyStatement];
  acknowledgeStatementWildcards(
    role,
    [describe],
    'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets (Lambda VPC networking) support no resource-level permission, so AWS requires Resource "*".',
  );
  acknowledgeStatementWildcards(
    role,
    [create, manage],
    'Lambda creates and deletes its VPC network interfaces at run time under IDs unknown at deploy time; the pattern is limited to ' +
      "network interfaces of this account and region, and creation to the function's own subnets and security group.",
  );
  return statements;
}

/** Acknowledges the `*` of the X-Ray write statement Lambda's active tracing adds to a role (no resource-level permission exists). */
export function acknowledgeTracingWrites(role: ManagedPolicyRole): void {
  const tracing = role.addedStatements.filter((statement) => statement.actions.length > 0 && statement.actions.every((action) => action.startsWith('xray:')));
  acknowledgeStatementWildcards(
    role,
    tracing,
    'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".',
  );
}
