import { formatUsd } from './choose-target';
import { describeSizing } from './describe';
import { SERVING_TARGETS } from './evaluate-targets';
import { decideServing } from './decide-serving';
import { PRICES, PRICES_CHECKED, PRICING_REGION, type Price } from './pricing';
import type { DecisionContext, ServingDecision, TrafficProfile } from './types';
import type { WorkedExample } from './worked-examples';

function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function formatQuantity(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 1 ? 6 : 2 });
}

function pad(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
}

export function describeProfile(profile: TrafficProfile): string {
  return (
    `${formatCount(profile.monthlyRequests)} req/month, peak ${formatCount(profile.peakRps)} RPS, p99 ${profile.p99LatencyMs} ms, ` +
    `payload ${profile.payloadKb} KB, compute ${profile.computeMsPerInference} ms, memory ${profile.memoryMb} MB, ` +
    `${profile.gpu ? 'GPU, ' : ''}team ${profile.teamSize}`
  );
}

function describeContext(context: DecisionContext): string {
  const parts = [context.highAvailability ? 'HA' : 'single-AZ allowed'];
  if (context.sharedEksClusterName) parts.push(`shared cluster ${context.sharedEksClusterName}`);
  else if (context.eksClusterInEnvironment) parts.push('EKS cluster in environment');
  if (context.forceTarget) parts.push(`forced ${context.forceTarget}`);
  return parts.join(', ');
}

/** The readable decision the CLI prints. */
export function renderDecisionText(title: string, decision: ServingDecision): string {
  const rows = [
    ['target', 'monthly', 'sizing'],
    ...SERVING_TARGETS.map((target) => {
      const option = decision.options[target];
      const marker = target === decision.target ? ' <=' : '';
      return [target + marker, option ? formatUsd(option.cost.totalUsd) : '-', option ? describeSizing(option.sizing) : 'rejected'];
    }),
  ];
  const lines = [`${title}: ${decision.target}${decision.forced ? ' (forced)' : ''}`, ...pad(rows).map((row) => `  ${row}`), '  reasons:'];
  lines.push(...decision.reasons.map((reason) => `    - ${reason}`));
  if (decision.rejected.length > 0) {
    lines.push('  rejected:', ...decision.rejected.map((r) => `    - ${r.target} (${r.kind}): ${r.reason}`));
  }
  lines.push('  flip points (peak RPS scaled with volume):');
  if (decision.flipPoints.length === 0) lines.push('    - none between 1,000 and 100 billion requests/month');
  lines.push(...decision.flipPoints.map((f) => `    - at ${formatCount(f.monthlyRequests)} req/month: ${f.from} -> ${f.to}`));
  lines.push(`  seed guidance: ${decision.seedGuidance.explanation}`);
  return lines.join('\n');
}

/** The JSON shape the CLI prints with --json: the summary plus the sizing a construct needs. */
export function decisionJson(decision: ServingDecision): object {
  const sizing = Object.fromEntries(SERVING_TARGETS.flatMap((t) => (decision.options[t] ? [[t, decision.options[t].sizing]] : [])));
  return {
    target: decision.target,
    recommendedTarget: decision.recommendedTarget,
    forced: decision.forced,
    costs: decision.costs,
    sizing,
    reasons: decision.reasons,
    rejected: decision.rejected,
    flipPoints: decision.flipPoints,
    seedGuidance: decision.seedGuidance,
  };
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)];
}

function renderPricingTable(): string[] {
  const entries = Object.entries<Price>(PRICES);
  return markdownTable(
    ['id', 'item', 'USD', 'unit', 'source', 'checked', 'note'],
    entries.map(([id, p]) => [`\`${id}\``, p.description, String(p.usd), p.unit, p.source, p.checked, p.note ?? '']),
  );
}

/** The generated part of docs/decision-matrix.md: pricing table, worked examples and their line items. */
export function renderWorkedExamplesMarkdown(examples: readonly WorkedExample[]): string {
  const decided = examples.map((example) => ({ example, decision: decideServing(example.profile, example.context) }));
  const cost = (decision: ServingDecision, target: (typeof SERVING_TARGETS)[number]): string => {
    const usd = decision.costs[target];
    if (usd === null) return 'rejected';
    const text = formatUsd(usd);
    return target === decision.target ? `**${text}**` : text;
  };
  const lines = [
    `### Pricing table (${PRICING_REGION}, on-demand, checked ${PRICES_CHECKED})`,
    '',
    ...renderPricingTable(),
    '',
    '### Worked examples',
    '',
    ...markdownTable(
      ['example', 'profile', 'context', 'Lambda', 'Fargate', 'EKS', 'choice', 'seed guidance'],
      decided.map(({ example, decision }) => [
        example.name,
        describeProfile(example.profile),
        describeContext(example.context),
        cost(decision, 'lambda'),
        cost(decision, 'fargate'),
        cost(decision, 'eks'),
        decision.target,
        decision.seedGuidance.applies ? `${decision.seedGuidance.target} (${decision.seedGuidance.agrees ? 'agrees' : 'differs'})` : 'n/a (GPU)',
      ]),
    ),
    '',
  ];
  for (const { example, decision } of decided) {
    lines.push(`#### ${example.name}`, '', `${describeProfile(example.profile)}; ${describeContext(example.context)}.`, '');
    const rows = SERVING_TARGETS.flatMap((target) => {
      const option = decision.options[target];
      if (!option) return [];
      return [
        ...option.cost.lines.map((l) => [target, l.item, formatQuantity(l.quantity), l.unit, `\`${l.priceId}\` ${l.unitPriceUsd}`, formatUsd(l.monthlyUsd)]),
        [target, `**total** (${describeSizing(option.sizing)})`, '', '', '', `**${formatUsd(option.cost.totalUsd)}**`],
      ];
    });
    lines.push(...markdownTable(['target', 'line item', 'quantity', 'unit', 'unit price', 'monthly'], rows), '');
    for (const r of decision.rejected) lines.push(`- ${r.target} rejected (${r.kind}): ${r.reason}`);
    lines.push(`- choice: **${decision.target}**: ${decision.reasons[0]}`);
    const flips = decision.flipPoints.map((f) => `${formatCount(f.monthlyRequests)} (${f.from} → ${f.to})`).join(', ');
    lines.push(`- flip points: ${flips || 'none'}`, `- seed guidance: ${decision.seedGuidance.explanation}`, '');
  }
  return lines.join('\n');
}
