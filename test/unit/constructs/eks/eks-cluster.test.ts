import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EksCluster, type EksClusterProps } from '../../../../constructs/eks';
import { fastCdkContext } from '../../../support/cdk-context';

function environment(app = new App({ context: fastCdkContext() })) {
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return { app, stack, vpc };
}

function resourceIdOf(template: Template, type: string, idPrefix: string): string {
  const id = Object.keys(template.findResources(type)).find((key) => key.startsWith(idPrefix));
  if (!id) throw new Error(`no ${type} ${idPrefix}*`);
  return id;
}

describe('EksCluster defaults', () => {
  const { stack, vpc } = environment();
  const cluster = new EksCluster(stack, 'Cluster', { vpc });
  const template = Template.fromStack(stack);
  const clusterId = resourceIdOf(template, 'AWS::EKS::Cluster', 'Cluster');

  test('private API endpoint only, in the private subnets, behind its own security group', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: {
        EndpointPrivateAccess: true,
        EndpointPublicAccess: false,
        SubnetIds: vpc.privateSubnets.map((subnet) => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet) })),
        SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(cluster.controlPlaneSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }],
      },
    });
  });

  test('all five control-plane log types', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: {
        ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' }] },
      },
    });
  });

  test('secrets envelope-encrypted with a new rotating customer-managed key', () => {
    template.resourceCountIs('AWS::KMS::Key', 1); // the cluster key
    const keyId = resourceIdOf(template, 'AWS::KMS::Key', 'ClusterEncryptionKey');
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }) });
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }],
    });
  });

  test('access entries only (API mode), no implicit admin for the deploying role, standard support, Kubernetes 1.34', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.34',
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      UpgradePolicy: { SupportType: 'STANDARD' },
    });
  });

  test('retained with EKS deletion protection by default', () => {
    template.hasResource('AWS::EKS::Cluster', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: true }) });
  });

  test('control-plane logs go to a pre-created, encrypted log group kept 365 days, which exists before the cluster', () => {
    const logGroupId = resourceIdOf(template, 'AWS::Logs::LogGroup', 'ClusterControlPlaneLogs');
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/eks/TestStack-Cluster-[A-Za-z0-9]+/cluster$'),
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [resourceIdOf(template, 'AWS::KMS::Key', 'ClusterEncryptionKey'), 'Arn'] },
    });
    expect(template.toJSON().Resources[clusterId].DependsOn).toContain(logGroupId);
  });

  test('the cluster role is assumed by EKS and carries AmazonEKSClusterPolicy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'eks.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSClusterPolicy']] }]),
    });
  });

  test('EKS Auto Mode load balancing on, with compute enabled but no node pool (Auto Mode launches no instance)', () => {
    expect(cluster.loadBalancing).toBe(true);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: { Enabled: true, NodePools: [] },
      StorageConfig: { BlockStorage: { Enabled: true } },
      KubernetesNetworkConfig: { ElasticLoadBalancing: { Enabled: true } },
    });
  });

  test('the cluster role carries the Auto Mode policies and lets EKS tag its session', () => {
    const arn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'eks.amazonaws.com' } })],
      }),
      // The customer-managed Permissions policy (KMS grant) follows the AWS-managed ones.
      ManagedPolicyArns: [
        arn('AmazonEKSClusterPolicy'),
        arn('AmazonEKSLoadBalancingPolicy'),
        arn('AmazonEKSNetworkingPolicy'),
        arn('AmazonEKSComputePolicy'),
        arn('AmazonEKSBlockStoragePolicy'),
        { Ref: Match.stringLikeRegexp('^ClusterClusterRolePermissions') },
      ],
    });
  });

  test('the API endpoint accepts HTTPS only from members of the API-client security group', () => {
    expect(cluster.apiClientSecurityGroup).toBeDefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      GroupId: { 'Fn::GetAtt': [stack.getLogicalId(cluster.controlPlaneSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(cluster.apiClientSecurityGroup!.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
    });
  });

  test('a new admin role assumable within the account gets cluster-admin through an access entry', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: { Ref: clusterId },
      PrincipalArn: { 'Fn::GetAtt': [resourceIdOf(template, 'AWS::IAM::Role', 'ClusterAdminRole'), 'Arn'] },
      Type: 'STANDARD',
      AccessPolicies: [
        {
          PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          AccessScope: { Type: 'cluster' },
        },
      ],
    });
  });

  test('managed add-ons: pod identity agent, VPC CNI with network policies enforced, metrics-server', () => {
    template.resourceCountIs('AWS::EKS::Addon', 3);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', ClusterName: { Ref: clusterId }, ResolveConflicts: 'OVERWRITE' });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', ConfigurationValues: '{"enableNetworkPolicy":"true"}' });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'metrics-server' });
  });

  test('the Cluster Autoscaler role: pod identity for kube-system/cluster-autoscaler, scaling only ASGs tagged as owned by this cluster', () => {
    expect(cluster.clusterAutoscaler).toBeDefined();
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: clusterId },
      Namespace: 'kube-system',
      ServiceAccount: 'cluster-autoscaler',
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(cluster.clusterAutoscaler!.role.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Condition: {
              StringEquals: Match.objectLike({
                'aws:RequestTag/kubernetes-namespace': 'kube-system',
                'aws:RequestTag/kubernetes-service-account': 'cluster-autoscaler',
              }),
            },
          }),
        ],
      }),
    });
    const policyId = resourceIdOf(template, 'AWS::IAM::ManagedPolicy', 'ClusterClusterAutoscalerRolePermissions');
    const statements = template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    const scale = statements.find((statement) => statement.Sid === 'ScaleOwnNodeGroups')!;
    expect(scale.Action).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    expect(Object.keys(scale.Condition.StringEquals)).toEqual([expect.stringMatching(/^aws:ResourceTag\/k8s\.io\/cluster-autoscaler\/TestStack-Cluster-/)]);
    expect(Object.values(scale.Condition.StringEquals)).toEqual(['owned']);
    expect(JSON.stringify(scale.Resource)).toContain(':autoScalingGroup:*:autoScalingGroupName/eks-*');
    const describe = statements.find((statement) => statement.Sid === 'DescribeCapacity')!;
    expect(describe.Resource).toBe('*');
    expect((describe.Action as string[]).every((action) => /^(autoscaling|ec2):(Describe|Get)/.test(action))).toBe(true);
  });

  test('outputs what the serving Terraform needs', () => {
    for (const output of ['ClusterNameOutput', 'ClusterEndpointOutput', 'ClusterCertificateAuthorityOutput', 'AdminRoleArnOutput']) {
      expect(Object.keys(template.findOutputs('*')).some((id) => id.startsWith(`Cluster${output}`))).toBe(true);
    }
    expect(cluster.podIdentityAgent).toBe(true);
  });
});

describe('EksCluster custom props', () => {
  const { stack, vpc } = environment();
  const adminRole = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  const cluster = new EksCluster(stack, 'Cluster', {
    vpc,
    clusterName: 'mlops-test-serving',
    kubernetesVersion: '1.33',
    adminRole,
    endpointAccessPeers: [ec2.Peer.ipv4('10.9.0.0/24')],
    logRetention: Duration.days(30),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const template = Template.fromStack(stack);

  test('name, version and log group name follow the props', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { Name: 'mlops-test-serving', Version: '1.33' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/mlops-test-serving/cluster', RetentionInDays: 30 });
  });

  test('DESTROY: no deletion protection', () => {
    template.hasResource('AWS::EKS::Cluster', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtection: false }) });
  });

  test('the given admin role gets the access entry; no admin role is created', () => {
    expect(cluster.adminRole).toBe(adminRole);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [stack.getLogicalId(adminRole.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    expect(Object.keys(template.findResources('AWS::IAM::Role')).some((id) => id.startsWith('ClusterAdminRole'))).toBe(false);
  });

  test('clusterAutoscaler false: no autoscaler role', () => {
    const { stack: other, vpc: otherVpc } = environment();
    const withoutAutoscaler = new EksCluster(other, 'Cluster', { vpc: otherVpc, clusterAutoscaler: false });
    expect(withoutAutoscaler.clusterAutoscaler).toBeUndefined();
    Template.fromStack(other).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  test('loadBalancing false: no Auto Mode capability, only the cluster policy, and imports say whether the cluster has it', () => {
    const { stack: other, vpc: otherVpc } = environment();
    const plain = new EksCluster(other, 'Cluster', { vpc: otherVpc, loadBalancing: false });
    expect(plain.loadBalancing).toBe(false);
    const cfn = Template.fromStack(other).findResources('AWS::EKS::Cluster');
    const properties = Object.values(cfn)[0].Properties;
    expect([properties.ComputeConfig, properties.StorageConfig, properties.KubernetesNetworkConfig]).toEqual([undefined, undefined, undefined]);
    Template.fromStack(other).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'eks.amazonaws.com' } })] }),
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSClusterPolicy']] },
        { Ref: Match.stringLikeRegexp('^ClusterClusterRolePermissions') },
      ],
    });
    expect(EksCluster.fromEksClusterAttributes(other, 'Shared', { clusterName: 'team', vpc: otherVpc }).loadBalancing).toBe(true);
    expect(EksCluster.fromEksClusterAttributes(other, 'Legacy', { clusterName: 'legacy', vpc: otherVpc, loadBalancing: false }).loadBalancing).toBe(false);
  });

  test('the given peers reach the endpoint; no API-client group is created', () => {
    expect(cluster.apiClientSecurityGroup).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Private API endpoint'),
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.9.0.0/24', FromPort: 443, ToPort: 443 })],
    });
  });
});

describe('EksCluster validation', () => {
  test.each([
    ['clusterName', { clusterName: '-bad name' }, /EksCluster: invalid clusterName = "-bad name"; letters, digits, - and _/],
    ['kubernetesVersion', { kubernetesVersion: 'latest' }, /EksCluster: invalid kubernetesVersion = "latest"; a Kubernetes minor version such as '1.34'/],
    ['logRetention', { logRetention: Duration.days(2) }, /invalid retention = "2 days"/],
  ] as Array<[string, Partial<EksClusterProps>, RegExp]>)('bad %s', (_prop, props, message) => {
    const { stack, vpc } = environment();
    expect(() => new EksCluster(stack, 'Cluster', { vpc, ...props })).toThrow(message);
  });

  test('an imported cluster name is checked too', () => {
    const { stack, vpc } = environment();
    expect(() => EksCluster.fromEksClusterAttributes(stack, 'Shared', { clusterName: 'has space', vpc })).toThrow(
      /EksCluster.fromEksClusterAttributes: invalid clusterName = "has space"/,
    );
  });

  test('node group sizes are whole and ordered', () => {
    const { stack, vpc } = environment();
    const cluster = new EksCluster(stack, 'Cluster', { vpc });
    const options = { modelName: 'm-one', instanceType: 'm7g.xlarge', architecture: 'arm64' as const, gpu: false };
    expect(() => cluster.addNodegroup(stack, 'A', { ...options, minSize: -1, maxSize: 2 })).toThrow(/ModelNodegroup: invalid minSize = -1/);
    expect(() => cluster.addNodegroup(stack, 'B', { ...options, minSize: 3, maxSize: 2 })).toThrow(
      /ModelNodegroup: invalid maxSize = 2; .*at least minSize \(3\)/,
    );
    expect(() => cluster.addNodegroup(stack, 'C', { ...options, minSize: 1, maxSize: 1.5 })).toThrow(/ModelNodegroup: invalid maxSize = 1.5/);
  });
});

describe('ModelNodegroup custom props', () => {
  test('rootVolumeSize overrides the default', () => {
    const { stack, vpc } = environment();
    const cluster = new EksCluster(stack, 'Cluster', { vpc });
    cluster.addNodegroup(stack, 'Big', {
      modelName: 'm-one',
      instanceType: 'c7g.xlarge',
      architecture: 'arm64',
      gpu: false,
      minSize: 1,
      maxSize: 2,
      rootVolumeSize: Size.gibibytes(80),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 80 }) })] }),
    });
  });
});
