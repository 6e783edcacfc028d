import { z } from 'zod';
import { rolloutSignalsSchema } from './rollout-signals';

/** The container variable that pins a deployment to one model version (serving/src/settings.ts reads it). */
export const SERVED_MODEL_VERSION_VARIABLE = 'SERVED_MODEL_VERSION';

/** The pin's value before any version was approved: the container serves nothing and says why. */
export const NO_SERVED_VERSION = 'none';

/** The rollout function's environment variable holding every model's rollout target (JSON, `RolloutTargets`). */
export const ROLLOUT_TARGETS_VARIABLE = 'ROLLOUT_TARGETS';

const name = z.string().min(1);

/** A Lambda-served model: CodeDeploy shifts the alias from the version it serves to one published with the new pin. */
const lambdaTargetSchema = z.strictObject({
  kind: z.literal('lambda'),
  functionName: name,
  aliasName: name,
  codeDeployApplication: name,
  deploymentGroup: name,
});

/** A Fargate-served model: a new task definition revision with the new pin, deployed by ECS with its alarms and circuit breaker. */
const ecsTargetSchema = z.strictObject({
  kind: z.literal('ecs'),
  cluster: name,
  service: name,
  containerName: name,
});

/**
 * An EKS-served model: a strategic merge patch of its Deployment's pin, rolled out by Kubernetes (readiness-gated
 * rolling update), watched by the function and judged on the model's error-rate and latency signals.
 */
const kubernetesTargetSchema = z.strictObject({
  kind: z.literal('kubernetes'),
  clusterName: name,
  namespace: name,
  deployment: name,
  containerName: name,
  signals: rolloutSignalsSchema,
});

const modelRolloutSchema = z.strictObject({
  /** SageMaker model package group whose approvals decide what this model serves. */
  modelPackageGroup: name,
  /** SSM parameter holding the pinned version (`none` before any approval). */
  pinParameter: name,
  target: z.discriminatedUnion('kind', [lambdaTargetSchema, ecsTargetSchema, kubernetesTargetSchema]),
});

export const rolloutTargetsSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a model name'), modelRolloutSchema);

export type LambdaRolloutTarget = z.infer<typeof lambdaTargetSchema>;
export type EcsRolloutTarget = z.infer<typeof ecsTargetSchema>;
export type KubernetesRolloutTarget = z.infer<typeof kubernetesTargetSchema>;
export type ModelRolloutTarget = z.infer<typeof modelRolloutSchema>;
export type RolloutTargets = z.infer<typeof rolloutTargetsSchema>;

/** Parses ROLLOUT_TARGETS; throws one message naming the variable and every problem. */
export function parseRolloutTargets(text: string): RolloutTargets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${ROLLOUT_TARGETS_VARIABLE} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = rolloutTargetsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${ROLLOUT_TARGETS_VARIABLE} is invalid: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}

/** Where a model's pin lives: one SSM parameter per environment and model. */
export function pinParameterName(environmentName: string, modelName: string): string {
  return `/mlops/${environmentName}/serving/${modelName}/served-version`;
}
