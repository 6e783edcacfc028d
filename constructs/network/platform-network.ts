import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { acknowledgeFinding, acknowledgeProviderHandlerFinding, Rule } from '../shared/acknowledge';
import { createPlatformKey } from '../shared/platform-key';
import { InvalidPropError } from '../shared/prop-validation';
import { retentionDays } from '../shared/retention';
import type { PlatformNetworkProps } from './platform-network-props';
import { allowCloudWatchLogs } from '../shared/cloudwatch-logs-key-access';

/**
 * Subnet group that holds internal load balancers fronting pods (EKS models' Network Load Balancers) and nothing else:
 * with IP targets the load balancer's addresses are the source the pods' NetworkPolicy admits, so they must not share
 * a CIDR with pods. No route beyond the VPC.
 */
export const LOAD_BALANCER_SUBNET_GROUP = 'load-balancers';

/**
 * The VPC that platform workloads run in: public subnets only for load balancers and NAT, isolated `load-balancers`
 * subnets only for internal load balancers of EKS models, private subnets for everything else, an S3 gateway endpoint so lakehouse traffic stays off the internet, and flow logs to an encrypted
 * log group.
 */
export class PlatformNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly encryptionKey: kms.IKey;
  readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps = {}) {
    super(scope, id);
    const availabilityZones = props.availabilityZones === undefined ? undefined : [...props.availabilityZones];
    const maxAzs = props.maxAzs ?? 2;
    const zoneCount = availabilityZones?.length ?? maxAzs;
    const natGateways = props.natGateways ?? 1;
    const flowLogRetention = props.flowLogRetention ?? Duration.days(365);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    validateZones(props, zoneCount, natGateways);

    this.encryptionKey =
      props.encryptionKey ?? createPlatformKey(this, 'EncryptionKey', { description: `Encrypts the ${Stack.of(this).stackName} VPC flow logs`, removalPolicy });
    allowCloudWatchLogs(this, this.encryptionKey);

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: this.encryptionKey,
      retention: retentionDays(flowLogRetention),
      removalPolicy,
    });

    const flowLogRole = new ManagedPolicyRole(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Delivers VPC flow logs to the encrypted flow-log group',
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ...(availabilityZones ? { availabilityZones } : { maxAzs }),
      natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        // Last, so the subnets above keep the CIDRs they had before this group existed. /26: an NLB takes one address
        // per subnet and needs 8 free; room for dozens of models.
        { name: LOAD_BALANCER_SUBNET_GROUP, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 26 },
      ],
      // Set here, not left to the app's @aws-cdk/aws-ec2:restrictDefaultSecurityGroup flag.
      restrictDefaultSecurityGroup: true,
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, flowLogRole), trafficType: ec2.FlowLogTrafficType.ALL },
      },
    });
    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (!route) continue;
      acknowledgeFinding(
        route,
        Rule.vpcRouteToIgw,
        'Public subnets exist only for the NAT gateways and internet-facing load balancers, which need a route to the internet ' +
          'gateway; no workload runs in them and instances launched there get no public IP.',
      );
    }
    acknowledgeProviderHandlerFinding(
      this,
      'Custom::VpcRestrictDefaultSGCustomResourceProvider',
      Rule.lambdaInsideVpcGuard,
      'CDK-managed provider that removes all rules from the VPC default security group at deployment; it only calls the EC2 API ' +
        'for this VPC, serves no traffic, and must exist before the VPC can host anything.',
    );
  }
}

function validateZones(props: PlatformNetworkProps, zoneCount: number, natGateways: number): void {
  const NAME = 'PlatformNetwork';
  if (props.availabilityZones !== undefined && props.maxAzs !== undefined) {
    throw new InvalidPropError(NAME, 'maxAzs', props.maxAzs, 'leave it out when availabilityZones names the zones');
  }
  if (props.availabilityZones !== undefined && new Set(props.availabilityZones).size !== props.availabilityZones.length) {
    throw new InvalidPropError(NAME, 'availabilityZones', props.availabilityZones.join(','), 'each zone once');
  }
  const prop = props.availabilityZones !== undefined ? 'availabilityZones' : 'maxAzs';
  if (zoneCount < 2)
    throw new InvalidPropError(NAME, prop, props.availabilityZones?.join(',') ?? zoneCount, 'at least 2 zones: load balancers and HA serving need two');
  if (natGateways < 1 || natGateways > zoneCount) {
    throw new InvalidPropError(NAME, 'natGateways', natGateways, `between 1 and the number of zones (${zoneCount})`);
  }
}
