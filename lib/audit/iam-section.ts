import { principalsOf, rendered, statementsOf } from './policy-documents';
import type { IamStatementRow, RoleRow } from './report-schema';
import { listOf, locationOf, prop, type ResourceEntry, type TemplateIndex } from './template-index';
import type { AcknowledgedFinding } from './types';

const WILDCARD_RULE = /AwsSolutions-IAM5\[(Action|Resource)::(.*)\]$/;

interface PolicyDocumentAt {
  readonly entry: ResourceEntry;
  readonly policyType: string;
  readonly roles: string[];
  readonly document: unknown;
}

function policyDocuments(index: TemplateIndex): PolicyDocumentAt[] {
  return index.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role').flatMap((entry) => {
    if (entry.resource.Type === 'AWS::IAM::Role') {
      return listOf(prop<Array<{ PolicyDocument: unknown }>>(entry.resource, 'Policies')).map((p) => ({
        entry,
        policyType: 'inline policy of the role',
        roles: [entry.logicalId],
        document: p.PolicyDocument,
      }));
    }
    const roles = listOf(prop(entry.resource, 'Roles')).map((role) => index.referencedResource(entry.stack, role)?.logicalId ?? rendered(role).join(''));
    return [{ entry, policyType: entry.resource.Type, roles, document: prop(entry.resource, 'PolicyDocument') }];
  });
}

/**
 * Every Allow statement with a wildcard action or resource (or NotAction/NotResource), each wildcard joined to the
 * acknowledgment that allows it on that policy resource — the rule the policy gate printed and the reason given —
 * or left without one: a statement with any unacknowledged wildcard is UNJUSTIFIED.
 */
export function wildcardStatements(index: TemplateIndex, acknowledgments: readonly AcknowledgedFinding[]): IamStatementRow[] {
  return policyDocuments(index).flatMap(({ entry, policyType, roles, document }) => {
    const acknowledged = new Map<string, AcknowledgedFinding>();
    for (const ack of acknowledgments) {
      if (ack.stackName !== entry.stack || ack.logicalId !== entry.logicalId) continue;
      const match = WILDCARD_RULE.exec(ack.ruleId);
      if (match) acknowledged.set(`${match[1].toLowerCase()}:${match[2]}`, ack);
    }
    const justify = (kind: 'action' | 'resource', value: string) => {
      const ack = acknowledged.get(`${kind}:${value}`);
      return ack ? { rule: ack.ruleId, reason: ack.reason } : null;
    };
    return statementsOf(document).flatMap((statement, statementIndex) => {
      if (statement.Effect !== 'Allow') return [];
      const actions = rendered(statement.Action);
      const resources = rendered(statement.Resource);
      const wildcards = [
        ...actions.filter((a) => a.includes('*')).map((value) => ({ kind: 'action' as const, value, justification: justify('action', value) })),
        ...resources.filter((r) => r.includes('*')).map((value) => ({ kind: 'resource' as const, value, justification: justify('resource', value) })),
        ...rendered(statement.NotAction).map((value) => ({ kind: 'not-action' as const, value, justification: null })),
        ...rendered(statement.NotResource).map((value) => ({ kind: 'not-resource' as const, value, justification: null })),
      ];
      if (wildcards.length === 0) return [];
      return [
        {
          ...locationOf(entry),
          policyType,
          roles,
          statementIndex,
          actions: [...actions, ...rendered(statement.NotAction).map((a) => `NOT ${a}`)],
          resources: [...resources, ...rendered(statement.NotResource).map((r) => `NOT ${r}`)],
          conditions: statement.Condition !== undefined,
          wildcards,
          status: wildcards.every((w) => w.justification !== null) ? ('justified' as const) : ('UNJUSTIFIED' as const),
        },
      ];
    });
  });
}

/** Every role: who may assume it, its managed policies, and how many wildcard statements it carries. */
export function roles(index: TemplateIndex, statements: readonly IamStatementRow[]): RoleRow[] {
  return index.ofType('AWS::IAM::Role').map((entry) => ({
    ...locationOf(entry),
    trustedBy: statementsOf(prop(entry.resource, 'AssumeRolePolicyDocument'))
      .filter((s) => s.Effect === 'Allow')
      .flatMap(principalsOf),
    managedPolicies: rendered(prop(entry.resource, 'ManagedPolicyArns')),
    wildcardStatements: statements.filter((s) => s.stack === entry.stack && s.roles.includes(entry.logicalId)).length,
  }));
}
