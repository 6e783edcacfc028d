import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { buildAuditReport, renderAuditMarkdown, type AuditReport } from '../../lib/audit';
import { auditInputFrom } from '../../stacks/audit-input';
import { isCfnResource, type GatedSynthResult } from '../../stacks/gated-synth';
import { environmentNames } from '../support/cdk-context';
import { synthWithGates } from '../support/synth-with-gates';

const PROVENANCE = { commit: 'test', dirty: false, configSha256: '0'.repeat(64), tools: {}, generatedAt: '2026-01-01T00:00:00.000Z' };
const results = new Map<string, GatedSynthResult>();
/** One gated synth per environment for the whole file: each costs seconds of CPU. */
function resultFor(environmentName: string): GatedSynthResult {
  if (!results.has(environmentName)) results.set(environmentName, synthWithGates(environmentName));
  return results.get(environmentName)!;
}
const auditOf = (environmentName: string, compareWith?: string): AuditReport =>
  buildAuditReport(
    auditInputFrom(resultFor(environmentName), PROVENANCE),
    compareWith === undefined ? undefined : auditInputFrom(resultFor(compareWith), PROVENANCE),
  );

describe.each(environmentNames())('every policy gate on the %s environment', (environmentName) => {
  const result = resultFor(environmentName);

  test('synthesizes with cdk-nag (AwsSolutions, NIST 800-53 R5), cfn-guard Control Tower and schema validation on', () => {
    expect(result.findings).toEqual([]);
    expect(result.synthError).toBeUndefined();
  });

  test('every acknowledgment names one rule on one resource and gives an auditor a reason', () => {
    const platformAcknowledgments = result.acknowledgments.filter((a) => a.source === 'platform');
    expect(platformAcknowledgments.length).toBeGreaterThan(0);
    for (const { construct, ruleId, reason } of platformAcknowledgments) {
      const where = construct.node.path;
      expect({ where, ruleId }).toEqual({ where, ruleId: expect.stringMatching(/^[\w.-]+::[^\s]+$/) });
      expect({ where, reasonLength: reason.length >= 60 }).toEqual({ where, reasonLength: true });
      // On the CloudFormation resource itself, never on a stack or a construct tree where it could hide other findings.
      expect({ where, isResource: isCfnResource(construct) }).toEqual({ where, isResource: true });
    }
  });

  test('the audit report built from this synth passes, lists every acknowledgment and every model decision', () => {
    const report = auditOf(environmentName);
    const markdown = renderAuditMarkdown(report);
    expect(markdown).toContain('Result: **PASS**, 0 unacknowledged finding(s)');
    for (const { ruleId } of result.acknowledgments) expect(markdown).toContain(ruleId);
    expect(report.decisions.map((d) => [d.model, d.target])).toEqual(result.platform.serving.decisions.models.map((m) => [m.modelName, m.decision.target]));
  });

  test('the audit finds no UNJUSTIFIED wildcard, no unencrypted store and no key without rotation', () => {
    const report = auditOf(environmentName);
    expect(report.iam.wildcardStatements.filter((s) => s.status === 'UNJUSTIFIED')).toEqual([]);
    expect(report.dataProtection.stores.filter((s) => !s.encrypted)).toEqual([]);
    expect(report.dataProtection.keys.filter((k) => !k.rotation)).toEqual([]);
    // CloudWatch Logs may use a key only for this account's log groups (an encryption-context condition).
    expect(report.exposure.resourceGrants.filter((g) => g.kind === 'service' && g.principal.startsWith('Service:logs.'))).toEqual([]);
  });

  test("the audit's serving cost lines equal the decision matrix's figures", () => {
    const serving = auditOf(environmentName).cost.lines.filter((l) => l.item.startsWith('serving: '));
    expect(serving.map((l) => l.monthlyUsd)).toEqual(result.platform.serving.decisions.models.map((m) => m.decision.costs[m.decision.target]));
  });
});

describe('the audit comparison', () => {
  test('comparing prod with dev lists the EKS cluster and the cross-account registry reader that only prod has', () => {
    const report = auditOf('prod', 'dev');
    const comparison = report.comparison!;
    expect(comparison.onlyHere).toEqual(expect.arrayContaining([expect.objectContaining({ stackPart: 'serving', type: 'AWS::EKS::Cluster' })]));
    const readerAccount = resultFor('prod').platform.environment.config.productionReaderAccountId!;
    expect(comparison.resourceGrants.onlyHere).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`cross-account AWS:arn:<AWS::Partition>:iam::${readerAccount}:root`))]),
    );
    expect(report.summary.crossAccountGrants).toBeGreaterThan(0);
  });
});

describe('the gates themselves', () => {
  test('an unacknowledged non-compliant resource fails synthesis and is reported by each gate', () => {
    const result = synthWithGates('dev', (platform) => {
      new Bucket(platform.data, 'UnencryptedUnloggedBucket');
    });
    expect(result.synthError).toBeDefined();
    const plugins = new Set(result.findings.filter((f) => f.constructPath.includes('UnencryptedUnloggedBucket')).map((f) => f.plugin));
    expect([...plugins].sort()).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard']);
  });

  test('a new wildcard statement is reported even beside an acknowledged statement with the same wildcard', () => {
    const result = synthWithGates('dev', (platform) => {
      // The ingest role's datasets/* wildcard is acknowledged for its read and write statements; this one is new.
      const datasets = platform.data.lakehouse.silverBucket.arnForObjects('datasets/*');
      platform.platform.ingest.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [datasets] }));
    });
    expect(result.synthError?.message).toMatch(
      /mlops-dev-platform\/Ingest\/Role\/Permissions\/Resource: AwsSolutions-IAM5 Resource::.*\/datasets\/\* in a statement with no acknowledgment of its own \(.*s3:DeleteObject/,
    );
  });

  test('CloudFormation schema validation runs as an error gate', () => {
    const result = synthWithGates('dev', (platform) => {
      platform.data.lakehouse.workGroup.addPropertyOverride('WorkGroupConfiguration.BytesScannedCutoffPerQuery', 'not-a-number');
    });
    expect(result.synthError?.message).toMatch(/BytesScannedCutoffPerQuery: 'not-a-number' is not of type 'integer'/);
    expect(result.findings).toEqual([expect.objectContaining({ plugin: 'CloudFormation Validate', constructPath: 'mlops-dev-data/Lakehouse/WorkGroup' })]);
  });
});
