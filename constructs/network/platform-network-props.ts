import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';

export interface PlatformNetworkProps {
  /**
   * Availability zones to spread subnets over.
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * NAT gateways for outbound traffic from private subnets; one per AZ survives an AZ outage, one is cheaper.
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
