import { CreateDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { SERVED_MODEL_VERSION_VARIABLE, type LambdaRolloutTarget } from '../../lib/rollout';
import { UnknownServedVersionError } from './errors';
import type { RolloutResult } from './rollout-result';

export interface LambdaRolloutDeps {
  readonly lambda: LambdaClient;
  readonly codedeploy: CodeDeployClient;
  /** Longest wait for the function update to finish before publishing (seconds). */
  readonly updateWaitSeconds?: number;
}

/** The model version the alias sends traffic to: the pin of the function version it points at. */
export async function lambdaServedVersion(
  deps: LambdaRolloutDeps,
  target: LambdaRolloutTarget,
): Promise<{ functionVersion: string; modelVersion: number | undefined }> {
  const alias = await deps.lambda.send(new GetAliasCommand({ FunctionName: target.functionName, Name: target.aliasName }));
  const functionVersion = alias.FunctionVersion!;
  const config = await deps.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target.functionName, Qualifier: functionVersion }));
  const pinned = config.Environment?.Variables?.[SERVED_MODEL_VERSION_VARIABLE];
  if (pinned === undefined) throw new UnknownServedVersionError(`${target.functionName}:${target.aliasName} (version ${functionVersion})`);
  return { functionVersion, modelVersion: /^[0-9]+$/.test(pinned) ? Number(pinned) : undefined };
}

/**
 * Moves the alias to `modelVersion` through CodeDeploy: sets the pin on $LATEST, publishes a version, and asks the
 * deployment group (canary, error-rate and latency alarms, automatic rollback) to shift the alias to it.
 */
export async function rolloutLambda(deps: LambdaRolloutDeps, target: LambdaRolloutTarget, modelVersion: number): Promise<RolloutResult> {
  const served = await lambdaServedVersion(deps, target);
  if (served.modelVersion === modelVersion) return { kind: 'unchanged', servedVersion: modelVersion };

  const latest = await deps.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target.functionName }));
  const variables = { ...latest.Environment?.Variables, [SERVED_MODEL_VERSION_VARIABLE]: String(modelVersion) };
  await deps.lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: target.functionName, Environment: { Variables: variables }, RevisionId: latest.RevisionId }),
  );
  await waitUntilFunctionUpdatedV2({ client: deps.lambda, maxWaitTime: deps.updateWaitSeconds ?? 120 }, { FunctionName: target.functionName });
  const published = await deps.lambda.send(new PublishVersionCommand({ FunctionName: target.functionName, Description: `model version ${modelVersion}` }));
  const appSpec = {
    version: 0.0,
    Resources: [
      {
        [target.functionName]: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: target.functionName, Alias: target.aliasName, CurrentVersion: served.functionVersion, TargetVersion: published.Version },
        },
      },
    ],
  };
  const deployment = await deps.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: target.codeDeployApplication,
      deploymentGroupName: target.deploymentGroup,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: JSON.stringify(appSpec) } },
      description: `model version ${served.modelVersion ?? 'none'} -> ${modelVersion}`,
    }),
  );
  return {
    kind: 'started',
    from: served.modelVersion,
    to: modelVersion,
    deploymentId: deployment.deploymentId!,
    detail: `function version ${published.Version}`,
  };
}
