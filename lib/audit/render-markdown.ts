import { markdownTable, usd } from './markdown';
import type { AuditReport } from './report-schema';

const where = (row: { stackPart: string; logicalId: string }) => `${row.stackPart}/${row.logicalId}`;
const yesNo = (value: boolean) => (value ? 'yes' : 'NO');

/** The Markdown report: every section of the data, in the order an auditor reads it. */
export function renderAuditMarkdown(report: AuditReport): string {
  const { summary, provenance } = report;
  const sections = [
    `# Audit report: environment \`${report.environment}\``,
    `Generated ${provenance.generatedAt} from commit \`${provenance.commit}\`${provenance.dirty ? ' (work tree DIRTY: uncommitted changes)' : ''}, ` +
      `config sha256 \`${provenance.configSha256.slice(0, 16)}…\`; ${Object.entries(provenance.tools)
        .map(([tool, version]) => `${tool} ${version}`)
        .join(', ')}. ` +
      `The same data is in the JSON report (schema version ${report.schemaVersion}; \`npm run audit -- --schema\`).`,
    '## Summary',
    markdownTable(['check', 'result'], summaryRows(report)),
    '## 1. Policy gates',
    `Result: **${summary.gatesPass ? 'PASS' : 'FAIL'}**, ${summary.unacknowledgedFindings} unacknowledged finding(s), ${summary.acknowledgments} acknowledged.`,
    markdownTable(
      ['gate', 'unacknowledged findings'],
      report.gates.map((g) => [g.plugin, g.unacknowledgedFindings]),
    ),
    '### Acknowledged findings',
    'Each acknowledgment covers one rule on one resource, with the reason recorded beside the construct that needs it.',
    report.acknowledgments
      .map(
        (a) =>
          `- **${a.stackPart}/${a.logicalId}** (\`${a.constructPath}\`), ${a.madeBy}\n  - rule: \`${a.rule}\`\n  - reason: ${a.reason.replace(/\r?\n/g, ' ')}`,
      )
      .join('\n') || '_none_',
    '## 2. IAM: wildcard statements and who may assume each role',
    `${summary.unjustifiedWildcards} UNJUSTIFIED statement(s). Every Allow statement with a wildcard action or resource, each wildcard joined to the acknowledgment made for it on that policy.`,
    markdownTable(
      ['policy', 'roles', 'statement', 'actions', 'resources', 'status', 'why each wildcard is allowed'],
      report.iam.wildcardStatements.map((s) => [
        where(s),
        s.roles.join(', '),
        s.statementIndex,
        s.actions.join(', '),
        s.resources.join(', '),
        s.status,
        s.wildcards.map((w) => `${w.kind} \`${w.value}\`: ${w.justification ? w.justification.reason : 'NO ACKNOWLEDGMENT'}`).join(' / '),
      ]),
    ),
    '### Roles',
    markdownTable(
      ['role', 'trusted by', 'managed policies', 'wildcard statements'],
      report.iam.roles.map((r) => [where(r), r.trustedBy.join(', '), r.managedPolicies.join(', '), r.wildcardStatements]),
    ),
    '## 3. Exposure',
    '### Load balancers',
    markdownTable(
      ['load balancer', 'scheme', 'listeners (protocol:port, TLS policy)'],
      report.exposure.loadBalancers.map((lb) => [
        where(lb),
        lb.scheme,
        lb.listeners.map((l) => `${l.protocol}:${l.port ?? '?'}${l.tlsPolicy ? ` ${l.tlsPolicy}` : ''}`).join(', '),
      ]),
    ),
    '### Public subnets',
    markdownTable(
      ['subnet', 'CIDR', 'zone'],
      report.exposure.publicSubnets.map((s) => [where(s), s.cidr, s.availabilityZone]),
    ),
    '### Security-group rules open to 0.0.0.0/0 or ::/0',
    markdownTable(
      ['group', 'direction', 'declared', 'CIDR', 'protocol', 'ports'],
      report.exposure.openSecurityGroupRules.map((r) => [where(r), r.direction, r.declared, r.cidr, r.protocol, r.ports]),
    ),
    '### Function URLs and EKS endpoints',
    markdownTable(
      ['function URL', 'auth'],
      report.exposure.functionUrls.map((u) => [where(u), u.authType]),
    ),
    markdownTable(
      ['EKS cluster', 'public endpoint', 'private endpoint', 'public CIDRs'],
      report.exposure.eksEndpoints.map((e) => [where(e), e.publicAccess, e.privateAccess, e.publicCidrs.join(', ')]),
    ),
    '### Resource policies reaching beyond the account',
    'Public and cross-account grants are findings; AWS services scoped by `aws:SourceAccount`/`aws:SourceArn` (or a KMS context) are listed apart.',
    markdownTable(
      ['policy', 'on', 'principal', 'kind', 'actions', 'condition'],
      [...report.exposure.resourceGrants]
        .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind))
        .map((g) => [where(g), g.type, g.principal, g.kind, g.actions.join(', '), g.condition]),
    ),
    '## 4. Data protection',
    `${summary.unencryptedStores} store(s) without encryption (listed first).`,
    markdownTable(
      ['store', 'type', 'encrypted', 'encryption', 'key', 'key rotation', 'versioning', 'retention', 'on stack deletion'],
      report.dataProtection.stores.map((s) => [
        where(s),
        s.type,
        yesNo(s.encrypted),
        s.encryption,
        s.key,
        s.keyRotation === null ? null : yesNo(s.keyRotation),
        s.versioning,
        s.retention,
        s.deletionPolicy,
      ]),
    ),
    '### KMS keys: who administers and who uses each',
    markdownTable(
      ['key', 'rotation', 'administrators', 'users', 'on stack deletion'],
      report.dataProtection.keys.map((k) => [where(k), yesNo(k.rotation), k.administrators.join(', '), k.users.join(', '), k.deletionPolicy]),
    ),
    '## 5. Serving decisions',
    'Read back from the `mlops:ServingDecision` metadata of the serving template.',
    markdownTable(
      ['model', 'target', 'forced', 'Lambda / month', 'Fargate / month', 'EKS / month', 'why', 'flip points'],
      report.decisions.map((d) => [
        d.model,
        d.target,
        d.forced ? 'yes' : 'no',
        usd(d.monthlyCostUsd.lambda ?? null),
        usd(d.monthlyCostUsd.fargate ?? null),
        usd(d.monthlyCostUsd.eks ?? null),
        d.reasons.join(' '),
        d.flipPoints.join('; ') || 'none',
      ]),
    ),
    markdownTable(
      ['model', 'rejected target', 'why'],
      report.decisions.flatMap((d) => d.rejected.map((r) => [d.model, r.target, r.reason])),
    ),
    '## 6. Monthly cost estimate',
    `**${usd(report.cost.monthlyTotalUsd)} per month** (us-east-1 on-demand prices; usage-priced lines are listed without a figure).`,
    markdownTable(
      ['item', 'count', 'unit', 'per month', 'source', 'note'],
      report.cost.lines.map((l) => [l.item, l.count, l.unit, l.monthlyUsd === null ? 'usage' : usd(l.monthlyUsd), l.source, l.note]),
    ),
    '## 7. Kubernetes (Terraform JSON of the EKS workloads)',
    report.kubernetes
      ? [
          markdownTable(
            ['namespace', 'pod security (enforce)'],
            report.kubernetes.namespaces.map((n) => [n.name, n.podSecurity ?? 'NONE']),
          ),
          markdownTable(
            ['network policy', 'namespace', 'types'],
            report.kubernetes.networkPolicies.map((p) => [p.logicalId, p.namespace, p.policyTypes]),
          ),
          markdownTable(
            ['workload', 'container', 'non-root', 'read-only root fs', 'drops ALL capabilities'],
            report.kubernetes.containers.map((c) => [
              c.logicalId,
              c.container,
              yesNo(c.nonRoot),
              yesNo(c.readOnlyRootFilesystem),
              yesNo(c.dropsAllCapabilities),
            ]),
          ),
        ].join('\n\n')
      : '_no Kubernetes objects in this environment_',
    '## 8. Alarms',
    markdownTable(
      ['alarm', 'covers / watches', 'actions'],
      report.alarms.map((a) => [where(a), a.watches, a.notifies > 0 ? a.notifies : 'NO NOTIFICATION']),
    ),
  ];
  if (report.comparison) sections.push(...comparisonSection(report));
  return `${sections.join('\n\n')}\n`;
}

function kindOrder(kind: string): number {
  return ['public', 'cross-account', 'service', 'service-scoped'].indexOf(kind);
}

function summaryRows(report: AuditReport): Array<[string, string | number]> {
  const s = report.summary;
  return [
    ['policy gates', s.gatesPass ? 'PASS' : `FAIL (${s.unacknowledgedFindings} unacknowledged)`],
    ['acknowledged findings', s.acknowledgments],
    ['UNJUSTIFIED wildcard statements', s.unjustifiedWildcards],
    ['cross-account grants', s.crossAccountGrants],
    ['public grants', s.publicGrants],
    ['internet-facing endpoints', s.internetFacingEndpoints],
    ['unencrypted stores', s.unencryptedStores],
    ['containers not hardened', s.containersNotHardened],
    ['monthly cost estimate', usd(s.monthlyCostUsd)],
  ];
}

function comparisonSection(report: AuditReport): string[] {
  const c = report.comparison!;
  const rows = (list: Array<{ stackPart: string; logicalId: string; type: string }>) =>
    markdownTable(
      ['stack part', 'logical ID', 'type'],
      list.map((r) => [r.stackPart, r.logicalId, r.type]),
    );
  return [
    `## Comparison with \`${c.other}\``,
    `Keyed on stack part and logical ID. Monthly estimate: ${usd(c.monthlyCostUsd.here)} here, ${usd(c.monthlyCostUsd.other)} in ${c.other}.`,
    `### Only in ${report.environment}`,
    rows(c.onlyHere),
    `### Only in ${c.other}`,
    rows(c.onlyInOther),
    '### Changed (properties that differ, environment names aside)',
    markdownTable(
      ['stack part', 'logical ID', 'type', 'properties'],
      c.changed.map((r) => [r.stackPart, r.logicalId, r.type, r.properties.join(', ')]),
    ),
    '### Resource-policy grants beyond the account',
    markdownTable(
      ['only in', 'grant'],
      [...c.resourceGrants.onlyHere.map((g) => [report.environment, g]), ...c.resourceGrants.onlyInOther.map((g) => [c.other, g])],
    ),
  ];
}

/** The one-screen summary `npm run audit` prints. */
export function renderAuditSummary(report: AuditReport): string {
  const lines = [
    `${report.environment}: ${report.summary.gatesPass ? 'PASS' : 'FAIL'}`,
    ...summaryRows(report)
      .slice(1)
      .map(([k, v]) => `  ${k}: ${v}`),
  ];
  const c = report.comparison;
  if (c) {
    lines.push(
      `  vs ${c.other}: ${c.onlyHere.length} resource(s) only here, ${c.onlyInOther.length} only in ${c.other}, ${c.changed.length} changed; ` +
        `${c.resourceGrants.onlyHere.length + c.resourceGrants.onlyInOther.length} grant(s) differ`,
    );
  }
  return lines.join('\n');
}
