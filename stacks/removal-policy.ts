import { RemovalPolicy } from 'aws-cdk-lib';
import type { EnvironmentConfig } from '../lib/config';

/** What the environment's `removalPolicy` means for its resources: only `destroy` (dev) deletes data with the stack. */
export function removalPolicyOf(config: EnvironmentConfig): RemovalPolicy {
  return config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}
