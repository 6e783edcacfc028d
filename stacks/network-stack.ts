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
    this.network = new PlatformNetwork(this, 'Network', {
      maxAzs: config.highAvailability ? 3 : 2,
      natGateways: config.highAvailability ? 3 : 1,
      removalPolicy: removalPolicyOf(config),
    });
  }
}
