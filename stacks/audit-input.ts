import { Stack } from 'aws-cdk-lib';
import type { AuditInput } from '../lib/audit';
import type { GatedSynthResult } from './gated-synth';

/** Every gate `registerPolicyGates` adds, plus CloudFormation schema validation. */
export const POLICY_GATES = ['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard', 'CloudFormation Validate'] as const;

/** Turns what a gated synth produced into the audit report's input; nothing else is read. */
export function auditInputFrom(result: GatedSynthResult, generatedAt: string): AuditInput {
  const { name } = result.platform.environment;
  return {
    environmentName: name,
    generatedAt,
    stacks: result.platform.allStacks.map((stack) => ({ stackName: stack.stackName, template: (result.templates[stack.stackName] ?? {}) })),
    acknowledgments: result.acknowledgments.map((a) => ({
      stackName: Stack.of(a.construct).stackName,
      constructPath: a.construct.node.path,
      ruleId: a.ruleId,
      reason: a.reason,
      source: a.source,
    })),
    gates: POLICY_GATES.map((plugin) => ({ plugin, unacknowledgedFindings: result.findings.filter((f) => f.plugin === plugin).length })),
    servingDecisions: result.platform.serving.decisions,
  };
}
