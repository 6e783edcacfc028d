import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LOAD_BALANCER_SUBNET_GROUP, PlatformNetwork, type PlatformNetworkProps } from '../../../../constructs/network';
import { fastCdkContext } from '../../../support/cdk-context';

function build(props?: PlatformNetworkProps, agnostic = false) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Net', agnostic ? {} : { env: { account: '111122223333', region: 'us-east-1' } });
  const network = new PlatformNetwork(stack, 'Network', props);
  return { network, template: Template.fromStack(stack) };
}

describe('PlatformNetwork defaults', () => {
  const { template, network } = build();

  test('two zones with public and private subnets, and one NAT gateway', () => {
    expect(network.vpc.availabilityZones).toHaveLength(2);
    expect(network.vpc.publicSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('an isolated load-balancers subnet per zone (/26, no route out), allocated after the others so their CIDRs do not move', () => {
    const group = network.vpc.selectSubnets({ subnetGroupName: LOAD_BALANCER_SUBNET_GROUP });
    expect(network.vpc.isolatedSubnets).toEqual(group.subnets);
    expect(group.subnets.map((subnet) => subnet.ipv4CidrBlock)).toEqual(['10.0.48.0/26', '10.0.48.64/26']);
    expect(network.vpc.publicSubnets.map((subnet) => subnet.ipv4CidrBlock)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect(network.vpc.privateSubnets.map((subnet) => subnet.ipv4CidrBlock)).toEqual(['10.0.16.0/20', '10.0.32.0/20']);
    for (const subnet of group.subnets) expect(subnet.node.tryFindChild('DefaultRoute')).toBeUndefined();
  });

  test('public subnets do not hand out public IPs', () => {
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('an S3 gateway endpoint keeps lakehouse traffic off the internet', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });

  test('all traffic is flow-logged to a KMS-encrypted group kept 365 days, through a role without inline policies', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['logs:PutLogEvents']) })]) },
    });
  });

  test('the default security group is stripped of its rules', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs and their key are retained', () => {
    for (const type of ['AWS::Logs::LogGroup', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) expect(resource.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('PlatformNetwork with custom props', () => {
  test('three zones with a NAT gateway each, shorter retention, destroyable', () => {
    const { template, network } = build({ maxAzs: 3, natGateways: 3, flowLogRetention: Duration.days(90), removalPolicy: RemovalPolicy.DESTROY });
    expect(network.vpc.availabilityZones).toHaveLength(3);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    for (const resource of Object.values(template.findResources('AWS::Logs::LogGroup'))) expect(resource.DeletionPolicy).toBe('Delete');
  });
});

describe('PlatformNetwork with named zones', () => {
  test('spans exactly the named zones, even in an environment-agnostic stack (where maxAzs: 3 would give two)', () => {
    const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
    const { template, network } = build({ availabilityZones: zones, natGateways: 3 }, true);
    expect(network.vpc.availabilityZones).toEqual(zones);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    const subnetZones = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone as string);
    expect([...new Set(subnetZones)].sort()).toEqual(zones);
    expect(build({ maxAzs: 3, natGateways: 2 }, true).network.vpc.availabilityZones).toHaveLength(2);
  });
});

describe('PlatformNetwork validation', () => {
  test.each<[PlatformNetworkProps, RegExp]>([
    [{ maxAzs: 1 }, /PlatformNetwork: invalid maxAzs = 1; at least 2/],
    [{ natGateways: 0 }, /PlatformNetwork: invalid natGateways = 0; between 1 and the number of zones \(2\)/],
    [{ availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 3 }, /PlatformNetwork: invalid natGateways = 3; between 1 and the number of zones \(2\)/],
    [{ availabilityZones: ['us-east-1a'] }, /PlatformNetwork: invalid availabilityZones = "us-east-1a"; at least 2 zones/],
    [{ availabilityZones: ['us-east-1a', 'us-east-1a'] }, /invalid availabilityZones = "us-east-1a,us-east-1a"; each zone once/],
    [{ availabilityZones: ['us-east-1a', 'us-east-1b'], maxAzs: 2 }, /invalid maxAzs = 2; leave it out when availabilityZones names the zones/],
    [{ natGateways: 3 }, /PlatformNetwork: invalid natGateways = 3/],
    [{ flowLogRetention: Duration.days(100) }, /invalid retention = "100 days"; one of 1, 3, 5, 7/],
  ])('%j is rejected', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
