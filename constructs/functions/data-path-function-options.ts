import * as path from 'node:path';
import type { PlatformFunctionProps } from './platform-function-props';

/** The folder of the Lambda handlers (`lambdas/<function>/handler.ts`) the data-path constructs deploy. */
export const LAMBDAS_DIRECTORY = path.join(__dirname, '..', '..', 'lambdas');

/**
 * How a data-path function (`Ingestion`, `FeatureMaterialization`, `ModelPromotion`) is deployed: the network, key,
 * log retention, dead-letter retention, architecture and removal policy of `PlatformFunction`, each with its default.
 * The sizing (memory, timeout, concurrency) is each construct's own, measured for its code.
 */
export type DataPathFunctionOptions = Pick<
  PlatformFunctionProps,
  'vpc' | 'vpcSubnets' | 'securityGroup' | 'encryptionKey' | 'logRetention' | 'deadLetterRetention' | 'architecture' | 'removalPolicy'
>;

/** Only the deployment options of a data-path construct's props, for its `PlatformFunction`. */
export function deploymentOptions(options: DataPathFunctionOptions): DataPathFunctionOptions {
  const { vpc, vpcSubnets, securityGroup, encryptionKey, logRetention, deadLetterRetention, architecture, removalPolicy } = options;
  return { vpc, vpcSubnets, securityGroup, encryptionKey, logRetention, deadLetterRetention, architecture, removalPolicy };
}
