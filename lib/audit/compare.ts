import type { AuditReport, Comparison } from './report-schema';
import type { TemplateIndex } from './template-index';

/** A property value with the environment's name replaced, so `mlops-dev-data` and `mlops-prod-data` compare equal. */
function normalized(value: unknown, environmentName: string): string {
  return JSON.stringify(value ?? null).replace(new RegExp(`\\b${environmentName}\\b`, 'g'), '<env>');
}

/**
 * A logical ID as it would read in any environment: CDK names some resources after the environment-named stack
 * (`…mlopsprodplatformPromoteModelFunction8A8E3A94…`), with a hash that then differs too.
 */
function comparableId(logicalId: string, environmentName: string): string {
  const stackToken = `mlops${environmentName.replace(/-/g, '')}`;
  if (!logicalId.includes(stackToken)) return logicalId;
  return logicalId.replace(stackToken, 'mlopsENV').replace(/[0-9A-F]{8,16}$/, '');
}

const grantKey = (g: AuditReport['exposure']['resourceGrants'][number], environmentName: string) =>
  `${g.stackPart}/${comparableId(g.logicalId, environmentName)}: ${g.kind} ${g.principal} (${g.actions.join(', ')})`;

/**
 * What differs between two environments, keyed on the stack part and the logical ID (never the environment-named
 * stack): resources only in one, resources whose properties differ (environment names aside), resource-policy
 * grants only in one, and the monthly estimates.
 */
export function compareEnvironments(here: { index: TemplateIndex; report: AuditReport }, other: { index: TemplateIndex; report: AuditReport }): Comparison {
  const byKey = (index: TemplateIndex) => new Map(index.entries.map((e) => [`${e.stackPart}/${comparableId(e.logicalId, index.environmentName)}`, e]));
  const mine = byKey(here.index);
  const theirs = byKey(other.index);
  const row = (e: { stackPart: string; logicalId: string; resource: { Type: string } }) => ({
    stackPart: e.stackPart,
    logicalId: e.logicalId,
    type: e.resource.Type,
  });
  const changed: Comparison['changed'] = [];
  for (const [key, entry] of mine) {
    const counterpart = theirs.get(key);
    if (!counterpart) continue;
    const names = new Set([...Object.keys(entry.resource.Properties ?? {}), ...Object.keys(counterpart.resource.Properties ?? {})]);
    const properties = [...names]
      .filter(
        (name) =>
          normalized(entry.resource.Properties?.[name], here.index.environmentName) !==
          normalized(counterpart.resource.Properties?.[name], other.index.environmentName),
      )
      .sort();
    if (entry.resource.Type !== counterpart.resource.Type) properties.unshift('(type)');
    if (properties.length) changed.push({ ...row(entry), properties });
  }
  const hereGrants = new Set(here.report.exposure.resourceGrants.map((g) => grantKey(g, here.index.environmentName)));
  const otherGrants = new Set(other.report.exposure.resourceGrants.map((g) => grantKey(g, other.index.environmentName)));
  return {
    other: other.report.environment,
    onlyHere: [...mine].filter(([key]) => !theirs.has(key)).map(([, e]) => row(e)),
    onlyInOther: [...theirs].filter(([key]) => !mine.has(key)).map(([, e]) => row(e)),
    changed,
    resourceGrants: { onlyHere: [...hereGrants].filter((g) => !otherGrants.has(g)), onlyInOther: [...otherGrants].filter((g) => !hereGrants.has(g)) },
    monthlyCostUsd: { here: here.report.cost.monthlyTotalUsd, other: other.report.cost.monthlyTotalUsd },
  };
}
