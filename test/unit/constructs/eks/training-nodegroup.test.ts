import { App, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EksCluster, type TrainingNodegroupOptions } from '../../../../constructs/eks';
import { fastCdkContext } from '../../../support/cdk-context';

function build(options: TrainingNodegroupOptions) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = EksCluster.fromEksClusterAttributes(stack, 'Cluster', { clusterName: 'mlops-prod-serving-cluster', vpc });
  const nodegroup = cluster.addTrainingNodegroup(stack, 'Training', options);
  return { stack, vpc, nodegroup, template: Template.fromStack(stack) };
}

describe('TrainingNodegroup defaults', () => {
  const { stack, vpc, nodegroup, template } = build({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], maxSize: 4 });

  test('spot, from zero, NVIDIA AL2023, the given instance types, in the private subnets', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: 'mlops-prod-serving-cluster',
      CapacityType: 'SPOT',
      AmiType: 'AL2023_x86_64_NVIDIA',
      InstanceTypes: ['g5.2xlarge', 'g6.2xlarge'],
      ScalingConfig: { MinSize: 0, DesiredSize: 0, MaxSize: 4 },
      NodeRepairConfig: { Enabled: true },
      Subnets: vpc.privateSubnets.map((subnet) => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet) })),
    });
    expect(nodegroup.gpusPerNode).toBe(1);
  });

  test('GPU taint plus the accelerator and training labels, and no model label (serving pods never land here)', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      Labels: { 'mlops.blueprint/accelerator': 'nvidia', 'mlops.blueprint/workload': 'training' },
      Taints: [{ Key: 'nvidia.com/gpu', Value: 'present', Effect: 'NO_SCHEDULE' }],
    });
  });

  test('IMDSv2 only with hop limit 1 and an encrypted 200 GiB gp3 root volume, through its launch template', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 200, DeleteOnTermination: true } }],
      }),
    });
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: { Id: { Ref: stack.getLogicalId(nodegroup.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate) }, Version: Match.anyValue() },
    });
  });

  test('the node role has the three policies EKS requires on nodes and no other permission', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] }),
      ManagedPolicyArns: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy'].map((name) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]],
      })),
    });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });
});

describe('TrainingNodegroup custom props', () => {
  test('on-demand, a warm node, a bigger volume', () => {
    const { template } = build({ instanceTypes: ['p4d.24xlarge'], maxSize: 2, spot: false, minSize: 1, rootVolumeSize: Size.gibibytes(500) });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'ON_DEMAND', ScalingConfig: { MinSize: 1, DesiredSize: 1, MaxSize: 2 } });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 500 }) })] }),
    });
  });
});

describe('TrainingNodegroup validation', () => {
  test.each([
    [{ instanceTypes: [], maxSize: 1 }, /TrainingNodegroup: invalid instanceTypes = \[\]; at least one NVIDIA GPU instance type/],
    [{ instanceTypes: ['m7i.xlarge'], maxSize: 1 }, /TrainingNodegroup: invalid instanceTypes = "m7i.xlarge"; an NVIDIA GPU instance type: g4dn.xlarge/],
    [
      { instanceTypes: ['g5.2xlarge', 'g5.12xlarge'], maxSize: 1 },
      /invalid instanceTypes = \["g5.2xlarge","g5.12xlarge"\]; types with the same number of GPUs \(got 1 and 4\)/,
    ],
    [{ instanceTypes: ['g5.xlarge'], maxSize: 0 }, /invalid maxSize = 0; a whole number of nodes, at least 1/],
    [{ instanceTypes: ['g5.xlarge'], maxSize: 2, minSize: 3 }, /invalid maxSize = 2; .*at least minSize \(3\)/],
    [{ instanceTypes: ['g5.xlarge'], maxSize: 2, minSize: -1 }, /invalid minSize = -1/],
  ] as Array<[TrainingNodegroupOptions, RegExp]>)('%j', (options, message) => {
    expect(() => build(options)).toThrow(message);
  });
});
