import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';

export interface PlatformNetworkProps {
  /**
   * Availability zones to spread subnets over, when `availabilityZones` does not name them. Without an account and
   * region on the stack CDK cannot look zones up and uses two, whatever this says.
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * The availability zones the VPC spans, by name (e.g. `['us-east-1a', 'us-east-1b', 'us-east-1c']`); works in an
   * environment-agnostic stack. Excludes `maxAzs`.
   * @default - `maxAzs` zones chosen by CDK
   */
  readonly availabilityZones?: readonly string[];

  /**
   * NAT gateways for outbound traffic from private subnets; one per AZ survives an AZ outage, one is cheaper.
   * At most one per zone.
   * @default 1
   */
  readonly natGateways?: number;

  /**
   * Time VPC flow logs are kept.
   * @default Duration.days(365)
   */
  readonly flowLogRetention?: Duration;

  /**
   * Key that encrypts the flow-log group.
   * @default - a new KMS key with rotation
   */
  readonly encryptionKey?: IKey;

  /**
   * What happens to the flow logs and the key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
