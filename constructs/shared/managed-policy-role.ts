import type { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role whose grants land in one customer-managed policy attached to it instead of an inline `DefaultPolicy`
 * (NIST 800-53 R5 AC-6: IAMNoInlinePolicy). Everything else behaves like `iam.Role`, so `bucket.grantRead(role)` etc.
 * work unchanged.
 */
export class ManagedPolicyRole extends iam.Role {
  private permissions?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.permissions) {
      this.permissions = new iam.ManagedPolicy(this, 'Permissions', {
        description: `Least-privilege permissions of ${this.node.path}`,
      });
      this.addManagedPolicy(this.permissions);
    }
    this.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this.permissions };
  }
}

/** The customer-managed policy a `ManagedPolicyRole` puts its grants in. */
export function permissionsPolicyOf(role: iam.IRole): CfnResource {
  const policy = role.node.tryFindChild('Permissions')?.node.defaultChild as CfnResource | undefined;
  if (!policy) throw new Error(`${role.node.path} has no Permissions policy: give it a grant first`);
  return policy;
}
