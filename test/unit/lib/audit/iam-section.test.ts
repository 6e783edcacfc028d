import { buildAuditReport } from '../../../../lib/audit';
import { bucketArn, input, lambdaRole, policy, stack } from './fixtures';

const ack = (ruleId: string, reason: string, logicalId = 'Policy') => ({
  stackName: 'mlops-test-platform',
  constructPath: `mlops-test-platform/${logicalId}`,
  logicalId,
  ruleId,
  reason,
  source: 'platform' as const,
});

describe('IAM: wildcard statements joined to their acknowledgments', () => {
  const templates = [
    stack('platform', {
      Role: lambdaRole,
      Bucket: { Type: 'AWS::S3::Bucket' },
      Policy: policy([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: bucketArn('Bucket', '/datasets/*') },
        { Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: bucketArn('Bucket', '/exact-key') },
        { Effect: 'Deny', Action: '*', Resource: '*' },
      ]),
    }),
  ];

  test('a wildcard without an acknowledgment is UNJUSTIFIED; exact statements and Deny are not listed', () => {
    const report = buildAuditReport(input(templates));
    expect(report.iam.wildcardStatements.map((s) => [s.statementIndex, s.status])).toEqual([
      [0, 'UNJUSTIFIED'],
      [1, 'UNJUSTIFIED'],
    ]);
    expect(report.iam.wildcardStatements[0].wildcards).toEqual([{ kind: 'resource', value: '<Bucket.Arn>/datasets/*', justification: null }]);
    expect(report.summary.unjustifiedWildcards).toBe(2);
  });

  test('a wildcard with an acknowledgment on that policy and that exact resource is justified, with its rule and reason', () => {
    const acknowledgments = [
      ack('AwsSolutions::AwsSolutions-IAM5[Resource::<Bucket.Arn>/datasets/*]', 'Object keys are only known at run time.'),
      ack('AwsSolutions::AwsSolutions-IAM5[Resource::*]', 'X-Ray does not support resource-level permissions.'),
    ];
    const report = buildAuditReport(input(templates, { acknowledgments }));
    expect(report.iam.wildcardStatements.map((s) => s.status)).toEqual(['justified', 'justified']);
    expect(report.iam.wildcardStatements[0].wildcards[0].justification).toEqual({
      rule: 'AwsSolutions::AwsSolutions-IAM5[Resource::<Bucket.Arn>/datasets/*]',
      reason: 'Object keys are only known at run time.',
    });
    expect(report.summary.unjustifiedWildcards).toBe(0);
  });

  test('an acknowledgment on another policy, or for another pattern, does not justify a statement', () => {
    const acknowledgments = [
      ack('AwsSolutions::AwsSolutions-IAM5[Resource::<Bucket.Arn>/datasets/*]', 'reason', 'OtherPolicy'),
      ack('AwsSolutions::AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]', 'a wider pattern'),
    ];
    const report = buildAuditReport(input(templates, { acknowledgments }));
    expect(report.iam.wildcardStatements[0].status).toBe('UNJUSTIFIED');
  });

  test('wildcard actions (s3:GetObject*) need their own acknowledgment beside the resource one', () => {
    const withAction = [
      stack('platform', { Role: lambdaRole, Policy: policy([{ Effect: 'Allow', Action: ['s3:GetObject*', 's3:PutObject'], Resource: 'arn:aws:s3:::b/k/*' }]) }),
    ];
    const resourceOnly = [ack('AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::b/k/*]', 'keys at run time')];
    expect(buildAuditReport(input(withAction, { acknowledgments: resourceOnly })).iam.wildcardStatements[0].status).toBe('UNJUSTIFIED');
    const both = [...resourceOnly, ack('AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]', 'CDK read action group')];
    expect(buildAuditReport(input(withAction, { acknowledgments: both })).iam.wildcardStatements[0].status).toBe('justified');
  });

  test('NotAction is always listed and never justified by an IAM5 acknowledgment', () => {
    const templatesWithNot = [stack('platform', { Role: lambdaRole, Policy: policy([{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }]) })];
    const [statement] = buildAuditReport(input(templatesWithNot)).iam.wildcardStatements;
    expect(statement.wildcards).toEqual([{ kind: 'not-action', value: 'iam:*', justification: null }]);
    expect(statement.status).toBe('UNJUSTIFIED');
  });

  test('roles list who may assume them and count the wildcard statements attached to them', () => {
    const report = buildAuditReport(input(templates));
    expect(report.iam.roles).toEqual([
      {
        stack: 'mlops-test-platform',
        stackPart: 'platform',
        logicalId: 'Role',
        trustedBy: ['Service:lambda.amazonaws.com'],
        managedPolicies: [],
        wildcardStatements: 2,
      },
    ]);
  });

  test('inline role policies are read too', () => {
    const inline = [
      stack('platform', {
        Role: {
          ...lambdaRole,
          Properties: {
            ...lambdaRole.Properties,
            Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] } }],
          },
        },
      }),
    ];
    const [statement] = buildAuditReport(input(inline)).iam.wildcardStatements;
    expect(statement).toEqual(expect.objectContaining({ logicalId: 'Role', roles: ['Role'], policyType: 'inline policy of the role', status: 'UNJUSTIFIED' }));
  });
});
