import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ModelRolloutTarget } from '../../lib/rollout';
import { desiredVersion, type DesiredVersionDeps } from './desired-version';
import { ecsServedVersion, rolloutEcs } from './ecs-rollout';
import type { Deployment, KubernetesApi } from './kubernetes-api';
import { kubernetesPinnedVersion, rolledBackVersions, rolloutKubernetes, type KubernetesRolloutDeps, type KubernetesWatchOptions } from './kubernetes-rollout';
import { lambdaServedVersion, rolloutLambda } from './lambda-rollout';
import { readPin, writePin } from './pin-store';
import type { RolloutResult } from './rollout-result';
import type { ReadServingSignals } from './serving-signal-check';

export interface RolloutDeps extends DesiredVersionDeps {
  readonly ssm: SSMClient;
  readonly lambda: LambdaClient;
  readonly codedeploy: CodeDeployClient;
  readonly ecs: ECSClient;
  /** Longest wait for a Lambda function update (seconds). */
  readonly updateWaitSeconds?: number;
  /** The Kubernetes API of an EKS cluster, by name; required when a target is `kubernetes`. */
  readonly kubernetes?: (clusterName: string) => Promise<KubernetesApi>;
  /** How the function watches a Kubernetes rolling update; required with `kubernetes`. */
  readonly kubernetesWatch?: KubernetesWatchOptions;
  /** The error-rate and latency signals of a model version (the metrics workspace); required with `kubernetes`. */
  readonly servingSignals?: ReadServingSignals;
}

function kubernetesOf(deps: RolloutDeps): {
  api: (clusterName: string) => Promise<KubernetesApi>;
  watch: KubernetesWatchOptions;
  readSignals: ReadServingSignals;
} {
  if (!deps.kubernetes || !deps.kubernetesWatch || !deps.servingSignals) {
    throw new Error('a kubernetes rollout target needs the kubernetes, kubernetesWatch and servingSignals dependencies');
  }
  return { api: deps.kubernetes, watch: deps.kubernetesWatch, readSignals: deps.servingSignals };
}

export type ReconcileOutcome =
  (RolloutResult & { readonly model: string }) | { readonly kind: 'nothing-approved'; readonly model: string; readonly servedVersion: number | undefined };

/**
 * Brings one model's deployment to the version its registry says should serve (the highest approved one in the
 * repository) through the target's own progressive deployment, then moves the pin to it. Idempotent: a repeated event,
 * or one for a version that is not the highest approved, changes nothing.
 */
export async function reconcileModel(deps: RolloutDeps, model: string, rollout: ModelRolloutTarget, approvedVersion?: number): Promise<ReconcileOutcome> {
  const { target } = rollout;
  // An EKS Deployment records the versions rolled back on their signals: they are never the desired version again.
  let kubernetes: { deps: KubernetesRolloutDeps; deployment: Deployment } | undefined;
  if (target.kind === 'kubernetes') {
    const { api, watch, readSignals } = kubernetesOf(deps);
    const cluster = await api(target.clusterName);
    kubernetes = { deps: { api: cluster, watch, readSignals }, deployment: await cluster.getDeployment(target.namespace, target.deployment) };
  }
  const excluded = kubernetes ? rolledBackVersions(kubernetes.deployment) : [];
  const desired = await desiredVersion(deps, model, rollout.modelPackageGroup, approvedVersion, excluded);
  if (desired === undefined) {
    // Nothing approved is left: the progressive deployments cannot roll to "no model" (new replicas would never be
    // ready and would be rolled back), so the current version keeps serving and the function reports it.
    return { kind: 'nothing-approved', model, servedVersion: await readPin(deps.ssm, rollout.pinParameter) };
  }
  let result: RolloutResult;
  if (target.kind === 'lambda')
    result = await rolloutLambda({ lambda: deps.lambda, codedeploy: deps.codedeploy, updateWaitSeconds: deps.updateWaitSeconds }, target, desired);
  else if (target.kind === 'ecs') result = await rolloutEcs(deps.ecs, target, desired);
  else result = await rolloutKubernetes(kubernetes!.deps, target, model, desired, kubernetes!.deployment);
  // A rolled-back rollout leaves the pin on the version still serving.
  const pin = result.kind === 'rolled-back' ? result.servedVersion : desired;
  if ((await readPin(deps.ssm, rollout.pinParameter)) !== pin) await writePin(deps.ssm, rollout.pinParameter, pin);
  return { ...result, model };
}

/**
 * After a deployment failed or was rolled back, sets the pin back to the version the target actually serves, so the
 * next CloudFormation update of the deployment does not bring the failed version back.
 */
export async function resyncPin(
  deps: RolloutDeps,
  model: string,
  rollout: ModelRolloutTarget,
): Promise<{ model: string; servedVersion: number | undefined; changed: boolean }> {
  const { target } = rollout;
  let served: number | undefined;
  if (target.kind === 'lambda') served = (await lambdaServedVersion({ lambda: deps.lambda, codedeploy: deps.codedeploy }, target)).modelVersion;
  else if (target.kind === 'ecs') served = (await ecsServedVersion(deps.ecs, target)).modelVersion;
  else {
    const api = await kubernetesOf(deps).api(target.clusterName);
    served = kubernetesPinnedVersion(await api.getDeployment(target.namespace, target.deployment), target);
  }
  const pinned = await readPin(deps.ssm, rollout.pinParameter);
  if (pinned === served) return { model, servedVersion: served, changed: false };
  await writePin(deps.ssm, rollout.pinParameter, served);
  return { model, servedVersion: served, changed: true };
}
