import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { buildAuditReport } from '../../lib/audit';
import { auditInputFrom } from '../../stacks/audit-input';
import { isCfnResource } from '../../stacks/gated-synth';
import { environmentNames } from '../support/cdk-context';
import { synthWithGates } from '../support/synth-with-gates';

describe.each(environmentNames())('every policy gate on the %s environment', (environmentName) => {
  const result = synthWithGates(environmentName);

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
    const report = buildAuditReport(auditInputFrom(result, '2026-01-01T00:00:00.000Z'));
    expect(report).toContain('Result: **PASS**, 0 unacknowledged finding(s)');
    for (const { ruleId } of result.acknowledgments) expect(report).toContain(ruleId);
    for (const model of result.platform.environment.config.models) {
      const { decision } = result.platform.serving.decisions.models.find((m) => m.modelName === model.name)!;
      expect(report).toContain(`| ${model.name} | ${decision.target} |`);
    }
    expect(report).not.toMatch(/NOT ENCRYPTED|ROTATION OFF/);
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
