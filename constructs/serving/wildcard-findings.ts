import { type CfnResource, Stack } from 'aws-cdk-lib';
// cdk-nag renders IAM5 resource findings with this function; the package index does not export it.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { acknowledgeFinding } from '../shared/acknowledge';

/**
 * Acknowledges the AwsSolutions-IAM5 finding for one wildcard resource of a policy, e.g. `<bucket ARN>/models/*`.
 * The finding ID embeds the resource as cdk-nag renders it, which for a resource of another stack is the name of a
 * cross-stack export that exists only once references are resolved; so the ID is computed then (construct validation
 * runs after reference resolution and before the policy gates), from the same rendering cdk-nag uses.
 */
export function acknowledgeWildcardResource(policy: CfnResource, resource: string, reason: string): void {
  policy.node.addValidation({
    validate: () => {
      const rendered = flattenCfnReference(Stack.of(policy).resolve(resource));
      acknowledgeFinding(policy, `AwsSolutions::AwsSolutions-IAM5[Resource::${rendered}]`, reason);
      return [];
    },
  });
}

/** Acknowledges the AwsSolutions-IAM5 finding for one wildcard action (e.g. `s3:GetObject*`) of a policy. */
export function acknowledgeWildcardAction(policy: CfnResource, action: string, reason: string): void {
  acknowledgeFinding(policy, `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`, reason);
}
