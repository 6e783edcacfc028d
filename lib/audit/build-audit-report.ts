import { alarmInventory, encryptionInventory, exposureInventory, retentionInventory, wildcardResourceInventory, type InventoryRow } from './inventory';
import { markdownTable, usd } from './markdown';
import type { AuditInput } from './types';

const inventoryTable = (rows: InventoryRow[], detailHeader: string) =>
  markdownTable(['stack', 'logical ID', 'type', detailHeader], rows.map((r) => [r.stackName, r.logicalId, r.type, r.detail]));

/**
 * The audit report of one environment, built only from what was synthesized: the templates, the acknowledged policy
 * findings with their reasons, the gate outcomes and the serving decisions. Deterministic for the same input.
 */
export function buildAuditReport(input: AuditInput): string {
  const resourceCount = input.stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
  const unacknowledged = input.gates.reduce((n, g) => n + g.unacknowledgedFindings, 0);
  const sections = [
    `# Audit report: environment \`${input.environmentName}\``,
    `Generated ${input.generatedAt} from the synthesized templates (${input.stacks.length} stacks, ${resourceCount} resources).`,
    '## Policy gates',
    `Result: **${unacknowledged === 0 ? 'PASS' : 'FAIL'}**, ${unacknowledged} unacknowledged finding(s), ${input.acknowledgments.length} acknowledged.`,
    markdownTable(['gate', 'unacknowledged findings'], input.gates.map((g) => [g.plugin, g.unacknowledgedFindings])),
    '## Acknowledged findings',
    'Each acknowledgment covers one rule on one resource, with the reason recorded beside the construct that needs it.',
    markdownTable(
      ['stack', 'resource', 'rule', 'made by', 'reason'],
      [...input.acknowledgments]
        .sort((a, b) => `${a.constructPath}${a.ruleId}`.localeCompare(`${b.constructPath}${b.ruleId}`))
        .map((a) => [a.stackName, a.constructPath, a.ruleId, a.source, a.reason]),
    ),
    '## Serving decisions',
    'Chosen by the decision matrix (`lib/decision/`) from each model\'s traffic profile; also recorded in the serving template metadata.',
    markdownTable(
      ['model', 'target', 'forced', 'Lambda / month', 'Fargate / month', 'EKS / month', 'why'],
      input.servingDecisions.models.map(({ modelName, decision }) => [
        modelName,
        decision.target,
        decision.forced ? 'yes' : 'no',
        usd(decision.costs.lambda),
        usd(decision.costs.fargate),
        usd(decision.costs.eks),
        decision.reasons.join(' '),
      ]),
    ),
    markdownTable(
      ['model', 'rejected target', 'why'],
      input.servingDecisions.models.flatMap(({ modelName, decision }) => decision.rejected.map((r) => [modelName, r.target, r.reason])),
    ),
    '## Encryption at rest',
    inventoryTable(encryptionInventory(input.stacks), 'encryption'),
    '## Exposure',
    inventoryTable(exposureInventory(input.stacks), 'exposure'),
    '## IAM statements on every resource (`*`)',
    'Each should be an API that AWS does not let you scope to a resource.',
    inventoryTable(wildcardResourceInventory(input.stacks), 'actions'),
    '## Retention on stack deletion',
    inventoryTable(retentionInventory(input.stacks), 'deletion policy'),
    '## Alarms',
    'Dead-letter queues and serving rollbacks page the environment\'s alert topic (`mlops-<env>-operations`).',
    inventoryTable(alarmInventory(input.stacks), 'condition and notification'),
  ];
  return `${sections.join('\n\n')}\n`;
}
