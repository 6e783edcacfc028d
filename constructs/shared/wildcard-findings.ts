import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { renderCfnValue } from '../../lib/audit/render-cfn-value';
import { acknowledgeFinding } from './acknowledge';
import type { ManagedPolicyRole } from './managed-policy-role';

/**
 * AwsSolutions-IAM5 names a finding after the wildcard alone (`Action::s3:GetObject*`, `Resource::<bucket.Arn>/models/*`),
 * not after the statement that holds it: acknowledged once, the same wildcard in a later statement of the policy would
 * pass unseen. So an acknowledgment made here is bound to the statements that hold the wildcard when it is made, and the
 * role's policy fails synthesis if any statement it holds at synthesis has a wildcard that was not acknowledged for
 * that very statement.
 */

interface Binding {
  readonly statement: iam.PolicyStatement;
  /** `resource` or `action` strings as written in the statement (unresolved); `undefined` binds every wildcard of it. */
  readonly wildcard?: { readonly kind: 'Resource' | 'Action'; readonly value: string };
  readonly reason: string;
}

const bindings = new WeakMap<ManagedPolicyRole, Binding[]>();

/**
 * Acknowledges the IAM5 finding of one wildcard resource (e.g. `bucket.arnForObjects('models/*')`, or `'*'`) in the
 * statements of `role` that grant on it so far. Call it right after the grant, with the reason.
 * @throws if no statement of the role names the resource yet
 */
export function acknowledgeWildcardResource(role: ManagedPolicyRole, resource: string, reason: string): void {
  const statements = role.addedStatements.filter((statement) => statement.resources.includes(resource));
  if (statements.length === 0) throw new Error(`${role.node.path}: no statement grants on ${resource} yet; acknowledge after granting`);
  for (const statement of statements) bind(role, { statement, wildcard: { kind: 'Resource', value: resource }, reason });
}

/**
 * Acknowledges the IAM5 finding of one wildcard action (e.g. `s3:GetObject*`) in the statements of `role` that hold it so far.
 * @throws if no statement of the role holds the action yet
 */
export function acknowledgeWildcardAction(role: ManagedPolicyRole, action: string, reason: string): void {
  const statements = role.addedStatements.filter((statement) => statement.actions.includes(action));
  if (statements.length === 0) throw new Error(`${role.node.path}: no statement holds ${action} yet; acknowledge after granting`);
  for (const statement of statements) bind(role, { statement, wildcard: { kind: 'Action', value: action }, reason });
}

/**
 * Acknowledges every wildcard (actions and resources) of the given statements of `role`, e.g. a grant's
 * `principalStatements`.
 */
export function acknowledgeStatementWildcards(role: ManagedPolicyRole, statements: readonly iam.PolicyStatement[], reason: string): void {
  for (const statement of statements) {
    if (!role.addedStatements.includes(statement)) throw new Error(`${role.node.path}: the statement to acknowledge is not one of this role's`);
    bind(role, { statement, reason });
  }
}

function bind(role: ManagedPolicyRole, binding: Binding): void {
  let roleBindings = bindings.get(role);
  if (!roleBindings) {
    const created: Binding[] = [];
    roleBindings = created;
    bindings.set(role, created);
    // References (to other stacks too) resolve only once the tree is complete: compute the finding IDs and check then.
    role.permissionsPolicy.node.addValidation({ validate: () => validateBindings(role, created) });
  }
  roleBindings.push(binding);
}

function validateBindings(role: ManagedPolicyRole, roleBindings: readonly Binding[]): string[] {
  const policy = role.permissionsPolicy;
  const stack = Stack.of(policy);
  const findingsOf = (statement: iam.PolicyStatement) => wildcardFindings(stack.resolve(statement.toStatementJson()) as StatementJson);
  const reasons = new Map<string, Set<string>>();
  const covered = new Map<iam.PolicyStatement, Set<string>>();
  for (const { statement, wildcard, reason } of roleBindings) {
    const findings = wildcard
      ? [`${wildcard.kind}::${wildcard.kind === 'Resource' ? renderCfnValue(stack.resolve(wildcard.value)) : wildcard.value}`]
      : findingsOf(statement);
    for (const finding of findings) {
      reasons.set(finding, (reasons.get(finding) ?? new Set()).add(reason));
      covered.set(statement, (covered.get(statement) ?? new Set()).add(finding));
    }
  }
  for (const [finding, why] of reasons) acknowledgeFinding(policy, `AwsSolutions::AwsSolutions-IAM5[${finding}]`, [...why].join(' Also: '));

  const errors: string[] = [];
  for (const statement of role.addedStatements) {
    const uncovered = findingsOf(statement).filter((finding) => !covered.get(statement)?.has(finding));
    if (uncovered.length > 0 && uncovered.some((finding) => reasons.has(finding))) {
      errors.push(
        `${policy.node.path}: AwsSolutions-IAM5 ${uncovered.join(', ')} in a statement with no acknowledgment of its own ` +
          `(${JSON.stringify(stack.resolve(statement.toStatementJson()))}); acknowledgments are bound to the statements that held the wildcard when they were made`,
      );
    }
  }
  return errors;
}

interface StatementJson {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

/** The IAM5 finding suffixes of one resolved statement, as cdk-nag's IAMNoWildcardPermissions names them. */
export function wildcardFindings(statement: StatementJson): string[] {
  if (statement.Effect === 'Deny') return [];
  const actions = asArray(statement.Action).filter((action): action is string => typeof action === 'string' && action.includes('*'));
  const resources = asArray(statement.Resource)
    .map(renderCfnValue)
    .filter((resource) => resource.includes('*'));
  return [...new Set([...actions.map((action) => `Action::${action}`), ...resources.map((resource) => `Resource::${resource}`)])];
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
