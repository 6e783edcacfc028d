import type { AuditInput, CfnResourceJson, StackTemplate } from '../../../../lib/audit';

export const PROVENANCE = {
  commit: 'abc123',
  dirty: false,
  configSha256: 'f'.repeat(64),
  tools: { 'aws-cdk-lib': '2.276.0' },
  generatedAt: '2026-11-29T00:00:00.000Z',
};

/** One hand-built stack per test: `mlops-test-<part>` with the given resources. */
export function stack(part: string, resources: Record<string, CfnResourceJson>, outputs?: StackTemplate['template']['Outputs']): StackTemplate {
  return { stackName: `mlops-test-${part}`, template: { Resources: resources, Outputs: outputs } };
}

export function input(stacks: StackTemplate[], overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    environmentName: 'test',
    stacks,
    acknowledgments: [],
    gates: [{ plugin: 'AwsSolutions', unacknowledgedFindings: 0 }],
    config: { account: '123456789012', budgets: [] },
    provenance: PROVENANCE,
    ...overrides,
  };
}

export const bucketArn = (logicalId: string, suffix = '') => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, suffix]] });

export function policy(statements: unknown[], roles: string[] = ['Role']): CfnResourceJson {
  return { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: statements, Version: '2012-10-17' }, Roles: roles.map((r) => ({ Ref: r })) } };
}

export const lambdaRole: CfnResourceJson = {
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } },
};
