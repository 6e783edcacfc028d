import { buildAuditReport } from '../../../../lib/audit';
import { input, stack } from './fixtures';

const bucketPolicy = (statement: Record<string, unknown>) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: { Ref: 'Bucket' },
    PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...statement }] },
  },
});

describe('exposure: resource policies beyond the account', () => {
  const grantsOf = (policy: ReturnType<typeof bucketPolicy>, account = '123456789012') =>
    buildAuditReport(input([stack('data', { Bucket: { Type: 'AWS::S3::Bucket' }, Policy: policy })], { config: { account, budgets: [] } })).exposure
      .resourceGrants;

  test('a bucket grant to another account is a cross-account finding, naming the bucket and the principal', () => {
    const grants = grantsOf(bucketPolicy({ Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } } }));
    expect(grants).toEqual([
      expect.objectContaining({
        logicalId: 'Policy',
        type: 'AWS::S3::BucketPolicy on data/Bucket',
        principal: 'AWS:arn:<AWS::Partition>:iam::111122223333:root',
        kind: 'cross-account',
        actions: ['s3:GetObject'],
      }),
    ]);
  });

  test("the account's own principals are not listed (IAM governs them)", () => {
    expect(grantsOf(bucketPolicy({ Principal: { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } } }))).toEqual([]);
    expect(grantsOf(bucketPolicy({ Principal: { AWS: 'arn:aws:iam::123456789012:role/reader' } }))).toEqual([]);
  });

  test('a service principal limited by aws:SourceAccount is listed apart as service-scoped, not flagged', () => {
    const grants = grantsOf(
      bucketPolicy({ Principal: { Service: 'logging.s3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
    );
    expect(grants.map((g) => [g.kind, g.principal, g.condition])).toEqual([
      ['service-scoped', 'Service:logging.s3.amazonaws.com', 'StringEquals aws:SourceAccount=<AWS::AccountId>'],
    ]);
    const report = buildAuditReport(
      input([
        stack('data', {
          Policy: bucketPolicy({ Principal: { Service: 'logging.s3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }),
        }),
      ]),
    );
    expect([report.summary.crossAccountGrants, report.summary.publicGrants]).toEqual([0, 0]);
  });

  test('a service principal without a source condition is listed as service', () => {
    expect(grantsOf(bucketPolicy({ Principal: { Service: 'delivery.logs.amazonaws.com' } })).map((g) => g.kind)).toEqual(['service']);
  });

  test('anyone (*) is public unless a condition confines it to the account; Deny statements are not grants', () => {
    expect(grantsOf(bucketPolicy({ Principal: '*' })).map((g) => g.kind)).toEqual(['public']);
    expect(grantsOf(bucketPolicy({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } }))).toEqual([]);
    expect(grantsOf(bucketPolicy({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))).toEqual([]);
  });

  test('model package group policies (JSON text or object) and Lambda permissions are read', () => {
    const group = {
      Type: 'AWS::SageMaker::ModelPackageGroup',
      Properties: {
        ModelPackageGroupPolicy: JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sagemaker:DescribeModelPackage', Resource: '*' }],
        }),
      },
    };
    const permission = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
        Principal: 'events.amazonaws.com',
        Action: 'lambda:InvokeFunction',
        SourceArn: 'arn:aws:events:rule',
      },
    };
    const grants = buildAuditReport(input([stack('platform', { Group: group, Fn: { Type: 'AWS::Lambda::Function' }, Permission: permission })])).exposure
      .resourceGrants;
    expect(grants.map((g) => [g.logicalId, g.kind, g.principal])).toEqual([
      ['Group', 'cross-account', 'AWS:arn:aws:iam::999988887777:root'],
      ['Permission', 'service-scoped', 'Service:events.amazonaws.com'],
    ]);
  });
});

describe('exposure: network', () => {
  const network = stack('network', {
    Igw: { Type: 'AWS::EC2::InternetGateway' },
    PublicTable: { Type: 'AWS::EC2::RouteTable' },
    DefaultRoute: {
      Type: 'AWS::EC2::Route',
      Properties: { RouteTableId: { Ref: 'PublicTable' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } },
    },
    PublicSubnet: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a' } },
    PublicAssoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { RouteTableId: { Ref: 'PublicTable' }, SubnetId: { Ref: 'PublicSubnet' } } },
    PrivateSubnet: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' } },
    Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application' } },
    InternalAlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal' } },
    Https: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: 'Alb' }, Protocol: 'HTTPS', Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' },
    },
    Sg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
        SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }],
      },
    },
    OpenIngress: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, CidrIpv6: '::/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 },
    },
    Url: { Type: 'AWS::Lambda::Url', Properties: { AuthType: 'NONE' } },
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true } } },
  });
  const { exposure, summary } = buildAuditReport(input([network]));

  test('a load balancer without a scheme is internet-facing (the CloudFormation default), with its listeners and TLS policy', () => {
    expect(exposure.loadBalancers.map((lb) => [lb.logicalId, lb.scheme, lb.listeners])).toEqual([
      ['Alb', 'internet-facing', [{ logicalId: 'Https', protocol: 'HTTPS', port: 443, tlsPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }]],
      ['InternalAlb', 'internal', []],
    ]);
  });

  test('a subnet whose route table sends 0.0.0.0/0 to an internet gateway is public', () => {
    expect(exposure.publicSubnets).toEqual([
      { stack: 'mlops-test-network', stackPart: 'network', logicalId: 'PublicSubnet', cidr: '10.0.0.0/24', availabilityZone: 'us-east-1a' },
    ]);
  });

  test('open rules are listed inline and standalone, ingress and egress; closed ones are not', () => {
    expect(exposure.openSecurityGroupRules.map((r) => [r.logicalId, r.direction, r.declared, r.cidr, r.ports])).toEqual([
      ['Sg', 'egress', 'inline', '0.0.0.0/0', 'all'],
      ['OpenIngress (group network/Sg)', 'ingress', 'standalone', '::/0', '80'],
    ]);
  });

  test('internet-facing endpoints count the public ALB and the function URL without IAM auth, not the private EKS endpoint', () => {
    expect(exposure.functionUrls.map((u) => u.authType)).toEqual(['NONE']);
    expect(exposure.eksEndpoints.map((e) => [e.publicAccess, e.privateAccess])).toEqual([[false, true]]);
    expect(summary.internetFacingEndpoints).toBe(2);
  });
});
