import { App } from 'aws-cdk-lib';
import { loadEnvironment, type EnvironmentConfig } from '../../lib/config';
import { DataStack } from '../../stacks/data-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { PlatformStack } from '../../stacks/platform-stack';
import { fastCdkContext } from './cdk-context';

/**
 * One configured environment's data, network and platform stacks in a fresh app (schema validation off), as the other
 * stacks build on them. `bundle: false` skips bundling the Lambda handlers; `mutate` edits the config first.
 */
export function buildPlatformStacks(environmentName: string, options: { bundle?: boolean; mutate?: (config: EnvironmentConfig) => void } = {}) {
  const app = new App({ context: { ...fastCdkContext(), ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}) } });
  const { config } = loadEnvironment(app.node.tryGetContext('environments'), environmentName);
  options.mutate?.(config);
  const data = new DataStack(app, 'Data', { environmentName, config });
  const network = new NetworkStack(app, 'Network', { config });
  const platform = new PlatformStack(app, 'Platform', {
    environmentName,
    config,
    lakehouse: data.lakehouse,
    modelRepository: data.modelRepository,
    vpc: network.network.vpc,
  });
  return { app, config, data, network, platform };
}
