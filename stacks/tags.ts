import { Tags, type Stack } from 'aws-cdk-lib';
import type { EnvironmentConfig } from '../lib/config';

export const PROJECT_TAG = 'mlops-blueprint';

/** Applied by the app to each stack, never by constructs to their parents. */
export function tagStack(stack: Stack, environmentName: string, config: EnvironmentConfig): void {
  const tags: Record<string, string> = {
    Project: PROJECT_TAG,
    Environment: environmentName,
    DataClassification: config.dataClassification,
    CostCenter: config.costCenter,
    Owner: config.owner,
  };
  // Not on SSM parameters: CloudFormation rewrites a parameter's value whenever its template changes, and the served-version
  // pins are moved by the rollout function, never by the template (constructs/serving/served-version-pin.ts).
  for (const [key, value] of Object.entries(tags)) Tags.of(stack).add(key, value, { excludeResourceTypes: ['AWS::SSM::Parameter'] });
}
