import { CfnResource, type Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { environmentNames } from '../support/cdk-context';
import { synthWithGates } from '../support/synth-with-gates';

interface Acknowledgment {
  readonly id: string;
  readonly reason: string;
}

function acknowledgmentsUnder(root: IConstruct): Array<{ construct: IConstruct; ack: Acknowledgment }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ construct, ack: { id, reason } }))),
  );
}

describe.each(environmentNames())('every policy gate on the %s environment', (environmentName) => {
  const result = synthWithGates(environmentName);

  test('synthesizes with cdk-nag (AwsSolutions, NIST 800-53 R5), cfn-guard Control Tower and schema validation on', () => {
    expect(result.findings).toEqual([]);
    expect(result.synthError).toBeUndefined();
  });

  test('every acknowledgment names one rule on one resource and gives an auditor a reason', () => {
    const stacks = result.platform.allStacks as Stack[];
    const acknowledgments = stacks.flatMap(acknowledgmentsUnder);
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const { construct, ack } of acknowledgments) {
      expect(ack.id).toMatch(/^[\w.-]+::[\w.\-[\]:*<>/]+$/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
      // On the CloudFormation resource itself, never on a stack or a construct tree where it could hide other findings.
      expect({ path: construct.node.path, isResource: construct instanceof CfnResource }).toEqual({
        path: construct.node.path,
        isResource: true,
      });
    }
  });
});

describe('the gates themselves', () => {
  test('an unacknowledged non-compliant resource fails synthesis and is reported by each gate', () => {
    const result = synthWithGates('dev', (platform) => {
      new Bucket(platform.data, 'UnencryptedUnloggedBucket');
    });
    expect(result.synthError?.message).toMatch(/Validation failed/);
    const plugins = new Set(result.findings.filter((f) => f.constructPath.includes('UnencryptedUnloggedBucket')).map((f) => f.plugin));
    expect([...plugins].sort()).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard']);
  });
});
