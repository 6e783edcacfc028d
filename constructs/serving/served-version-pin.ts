import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { NO_SERVED_VERSION, pinParameterName } from '../../lib/rollout';

/**
 * The pin of one model: the SSM parameter holding the version its deployments serve (docs/serving-targets.md,
 * "Governed rollout"). CloudFormation creates it with `none` and never writes it again (its template does not change,
 * and the app does not tag it: a tag change would rewrite the value); the rollout function moves it. It must live in a
 * stack deployed before the serving stack, whose deployments read it through a `{{resolve:ssm:...}}` reference.
 */
export function createServedVersionPin(scope: Construct, id: string, environmentName: string, modelName: string): ssm.StringParameter {
  return new ssm.StringParameter(scope, id, {
    parameterName: pinParameterName(environmentName, modelName),
    stringValue: NO_SERVED_VERSION,
    description: `Model version the ${modelName} deployments serve; moved only by the rollout function (docs/serving-targets.md)`,
    tier: ssm.ParameterTier.STANDARD,
  });
}

/** What a deployment puts in SERVED_MODEL_VERSION: the pin, resolved by CloudFormation when it creates or updates the deployment. */
export function servedVersionReference(parameterName: string): string {
  return `{{resolve:ssm:${parameterName}}}`;
}
