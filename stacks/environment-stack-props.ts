import type { StackProps } from 'aws-cdk-lib';
import type { EnvironmentConfig } from '../lib/config';

/** What every stack of an environment is built from: the validated config of that environment. */
export interface EnvironmentStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}
