import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The users of one IAM Identity Center permission set in this account: IAM Identity Center provisions the permission
 * set as a role `aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<name>_<suffix>` whose suffix is random, so
 * the trust names the account with a condition on that role's ARN (IAM User Guide, "Roles for IAM Identity Center").
 */
export function permissionSetPrincipal(permissionSetName: string): iam.IPrincipal {
  return new iam.AccountRootPrincipal().withConditions({
    ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSetName}_*` },
  });
}

/** The approver principals an environment config names (`approvers`): role ARNs and/or a permission set. */
export function approverPrincipals(approvers: { readonly roleArns: readonly string[]; readonly ssoPermissionSetName?: string }): iam.IPrincipal[] {
  return [
    ...approvers.roleArns.map((arn) => new iam.ArnPrincipal(arn)),
    ...(approvers.ssoPermissionSetName === undefined ? [] : [permissionSetPrincipal(approvers.ssoPermissionSetName)]),
  ];
}
