import { alarms } from './alarms-section';
import { compareEnvironments } from './compare';
import { costSection } from './cost-section';
import { dataProtection } from './data-protection-section';
import { recordedDecisions } from './decisions-section';
import { exposure, internetFacingEndpoints } from './exposure-section';
import { roles, wildcardStatements } from './iam-section';
import { kubernetesInventory } from './kubernetes-section';
import { AUDIT_REPORT_SCHEMA_VERSION, type AuditReport } from './report-schema';
import { stackPartOf, TemplateIndex } from './template-index';
import type { AuditInput } from './types';

/**
 * The audit report of one environment as data, built only from what was synthesized (the templates, the Terraform
 * JSON, the acknowledged findings and the gate outcomes) plus the config facts templates cannot hold (the account,
 * budgets). Deterministic for the same input; `other` adds the comparison with a second environment.
 */
export function buildAuditReport(input: AuditInput, other?: AuditInput): AuditReport {
  const here = build(input);
  return other ? { ...here.report, comparison: compareEnvironments(here, build(other)) } : here.report;
}

function build(input: AuditInput): { index: TemplateIndex; report: AuditReport } {
  const index = new TemplateIndex(input.stacks, input.environmentName);
  const statements = wildcardStatements(index, input.acknowledgments);
  const exposureSection = exposure(index, input.config.account);
  const protection = dataProtection(index);
  const decisions = recordedDecisions(index);
  const cost = costSection(index, decisions, input.config);
  const kubernetes = input.kubernetes ? kubernetesInventory(input.kubernetes) : null;
  const unacknowledged = input.gates.reduce((n, g) => n + g.unacknowledgedFindings, 0);
  const report: AuditReport = {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    environment: input.environmentName,
    provenance: input.provenance,
    summary: {
      gatesPass: unacknowledged === 0,
      unacknowledgedFindings: unacknowledged,
      acknowledgments: input.acknowledgments.length,
      unjustifiedWildcards: statements.filter((s) => s.status === 'UNJUSTIFIED').length,
      crossAccountGrants: exposureSection.resourceGrants.filter((g) => g.kind === 'cross-account').length,
      publicGrants: exposureSection.resourceGrants.filter((g) => g.kind === 'public').length,
      internetFacingEndpoints: internetFacingEndpoints(exposureSection),
      unencryptedStores: protection.stores.filter((s) => !s.encrypted).length,
      containersNotHardened: kubernetes?.containers.filter((c) => !(c.nonRoot && c.readOnlyRootFilesystem && c.dropsAllCapabilities)).length ?? 0,
      monthlyCostUsd: cost.monthlyTotalUsd,
    },
    gates: input.gates.map((g) => ({ ...g })),
    acknowledgments: [...input.acknowledgments]
      .sort((a, b) => `${a.constructPath}\0${a.ruleId}`.localeCompare(`${b.constructPath}\0${b.ruleId}`))
      .map((a) => ({
        stack: a.stackName,
        stackPart: stackPartOf(a.stackName, input.environmentName),
        logicalId: a.logicalId,
        constructPath: a.constructPath,
        rule: a.ruleId,
        reason: a.reason,
        madeBy: a.source,
      })),
    iam: { roles: roles(index, statements), wildcardStatements: statements },
    exposure: exposureSection,
    dataProtection: protection,
    decisions: decisions.map((d) => d.row),
    cost,
    kubernetes,
    alarms: alarms(index),
    comparison: null,
  };
  return { index, report };
}
