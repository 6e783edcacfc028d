import { Stack, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AuditedConfig, AuditInput, Provenance, TerraformDocument } from '../lib/audit';
import type { EnvironmentConfig } from '../lib/config';
import { isCfnResource, type GatedSynthResult } from './gated-synth';

/** Every gate `registerPolicyGates` adds, plus CloudFormation schema validation. */
export const POLICY_GATES = ['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard', 'CloudFormation Validate'] as const;

/** The CloudFormation resource an acknowledgment is on: the construct itself, or an L2's default child. */
function cfnResourceOf(construct: IConstruct): CfnResource | undefined {
  if (isCfnResource(construct)) return construct;
  const child = construct.node.defaultChild;
  return child && isCfnResource(child) ? child : undefined;
}

/** What the report needs from the config that no template holds. */
export function auditedConfigOf(config: EnvironmentConfig): AuditedConfig {
  const budgets = config.training
    ? [
        {
          item: `SageMaker training (AWS Budgets cap, emails ${config.training.budget.emails.length} people)`,
          monthlyUsd: config.training.budget.monthlyUsd,
          source: 'config: training.budget.monthlyUsd (the AWS::Budgets::Budget of the training stack)',
        },
      ]
    : [];
  return { account: config.account, budgets, grafanaUsers: config.monitoring.grafana?.expectedUsers };
}

/** Turns what a gated synth produced into the audit report's input; nothing else is read. */
export function auditInputFrom(result: GatedSynthResult, provenance: Provenance, kubernetes?: TerraformDocument): AuditInput {
  const { name, config } = result.platform.environment;
  return {
    environmentName: name,
    stacks: result.platform.allStacks.map((stack) => ({ stackName: stack.stackName, template: result.templates[stack.stackName] ?? {} })),
    acknowledgments: result.acknowledgments.map((a) => {
      const resource = cfnResourceOf(a.construct);
      return {
        stackName: Stack.of(a.construct).stackName,
        constructPath: a.construct.node.path,
        logicalId: resource ? (Stack.of(resource).resolve(resource.logicalId) as string) : a.construct.node.id,
        ruleId: a.ruleId,
        reason: a.reason,
        source: a.source,
      };
    }),
    gates: POLICY_GATES.map((plugin) => ({ plugin, unacknowledgedFindings: result.findings.filter((f) => f.plugin === plugin).length })),
    kubernetes,
    config: auditedConfigOf(config),
    provenance,
  };
}
