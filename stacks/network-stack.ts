import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PlatformNetwork } from '../constructs/network';
import type { EnvironmentStackProps } from './environment-stack-props';
import { removalPolicyOf } from './removal-policy';

export type NetworkStackProps = EnvironmentStackProps;

/** The VPC of one environment; HA environments get three zones and a NAT gateway in each. */
export class NetworkStack extends Stack {
  readonly network: PlatformNetwork;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    const zones = config.availabilityZones;
    this.network = new PlatformNetwork(this, 'Network', {
      // The config names the zones (the schema requires three for highAvailability); otherwise CDK picks two.
      ...(zones ? { availabilityZones: zones } : { maxAzs: 2 }),
      // A NAT gateway per zone survives a zone outage; one is cheaper.
      natGateways: config.highAvailability ? (zones?.length ?? 2) : 1,
      removalPolicy: removalPolicyOf(config),
    });
  }
}
