import type { App, Environment, Stack } from 'aws-cdk-lib';
import { loadEnvironment, type ResolvedEnvironment } from '../lib/config';
import { DataStack } from './data-stack';
import { registerPolicyGates } from './policy-gates';
import { tagStack } from './tags';

export interface PlatformStacks {
  readonly environment: ResolvedEnvironment;
  readonly data: DataStack;
  readonly allStacks: readonly Stack[];
}

/** Validates the chosen environment's config, then builds its stacks with every policy gate registered. */
export function buildPlatform(app: App, environmentName?: string): PlatformStacks {
  const environment = loadEnvironment(app.node.tryGetContext('environments'), environmentName ?? app.node.tryGetContext('env'));
  const { name, config } = environment;
  const env: Environment = { account: config.account, region: config.region };
  const stackProps = { env, config, terminationProtection: config.removalPolicy === 'retain' };

  const data = new DataStack(app, `mlops-${name}-data`, { ...stackProps, description: `mlops-blueprint ${name}: lakehouse storage` });

  const allStacks = [data];
  for (const stack of allStacks) tagStack(stack, name, config);
  registerPolicyGates(app);
  return { environment, data, allStacks };
}
