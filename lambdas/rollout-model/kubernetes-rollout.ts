import { NO_SERVED_VERSION, PREVIOUS_VERSION_ANNOTATION, SERVED_VERSION_ANNOTATION, type KubernetesRolloutTarget } from '../../lib/rollout';
import { UnknownServedVersionError } from './errors';
import type { Deployment, KubernetesApi } from './kubernetes-api';
import type { RolloutResult } from './rollout-result';

export type RolloutState = { readonly kind: 'complete' } | { readonly kind: 'progressing'; readonly detail: string } | { readonly kind: 'failed'; readonly reason: string };

export interface KubernetesWatchOptions {
  /** Seconds between two reads of the Deployment's status. */
  readonly pollSeconds: number;
  /** When the function must stop watching (epoch ms); an unfinished rollout is then rolled back. */
  readonly deadline: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const parseVersion = (value: string | undefined): number | undefined => (value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined);
const pinOf = (version: number | undefined): string => (version === undefined ? NO_SERVED_VERSION : String(version));

/** The version the Deployment's pod template is pinned to (what its new pods serve). */
export function kubernetesPinnedVersion(deployment: Deployment, target: KubernetesRolloutTarget): number | undefined {
  const pinned = deployment.spec.template.metadata?.annotations?.[SERVED_VERSION_ANNOTATION];
  if (pinned === undefined) throw new UnknownServedVersionError(`Deployment ${target.namespace}/${target.deployment} (annotation ${SERVED_VERSION_ANNOTATION})`);
  return parseVersion(pinned);
}

/**
 * Where the Deployment's rolling update stands (Kubernetes "Deployment status"): complete when the controller has seen
 * the latest template and every replica is updated and available with no old replica left; failed when the
 * Progressing condition reports ProgressDeadlineExceeded (new pods never became ready: the readiness route stays 503
 * until the pinned version is loaded).
 */
export function rolloutState(deployment: Deployment): RolloutState {
  const status = deployment.status ?? {};
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { kind: 'failed', reason: `ProgressDeadlineExceeded: ${progressing.message ?? 'new pods did not become ready in time'}` };
  }
  const wanted = deployment.spec.replicas ?? 1;
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (observed && updated >= wanted && available >= wanted && (status.replicas ?? 0) === updated) return { kind: 'complete' };
  return { kind: 'progressing', detail: `${updated}/${wanted} updated, ${available} available, ${status.replicas ?? 0} total` };
}

/** The strategic merge patch that pins the pod template to `to` and records `from` for a rollback. */
export function pinPatch(from: number | undefined, to: number | undefined): object {
  return {
    metadata: { annotations: { [PREVIOUS_VERSION_ANNOTATION]: pinOf(from) } },
    spec: { template: { metadata: { annotations: { [SERVED_VERSION_ANNOTATION]: pinOf(to) } } } },
  };
}

/**
 * Moves the Deployment to `modelVersion` through its rolling update (maxSurge 1, maxUnavailable 0: an old pod goes only
 * after a new one is ready) and watches it: complete → `started` with the outcome; ProgressDeadlineExceeded, or no
 * verdict before the function's deadline → patched back to the version it served (`rolled-back`). A Deployment
 * already pinned to `modelVersion` is watched too (a rollout an earlier invocation started), and rolled back to its
 * recorded previous version if it failed.
 */
export async function rolloutKubernetes(api: KubernetesApi, target: KubernetesRolloutTarget, modelVersion: number, watch: KubernetesWatchOptions): Promise<RolloutResult> {
  const current = await api.getDeployment(target.namespace, target.deployment);
  const pinned = kubernetesPinnedVersion(current, target);
  let from: number | undefined;
  let generation: number | undefined;
  if (pinned === modelVersion) {
    const state = rolloutState(current);
    if (state.kind === 'complete') return { kind: 'unchanged', servedVersion: modelVersion };
    from = parseVersion(current.metadata.annotations?.[PREVIOUS_VERSION_ANNOTATION]);
    generation = current.metadata.generation;
  } else {
    from = pinned;
    generation = (await api.patchDeployment(target.namespace, target.deployment, pinPatch(pinned, modelVersion))).metadata.generation;
  }
  const deploymentId = `${target.namespace}/${target.deployment} generation ${generation ?? 'unknown'}`;
  const verdict = await watchRollout(api, target, watch);
  if (verdict.kind === 'complete') return { kind: 'started', from, to: modelVersion, deploymentId, detail: 'rolling update complete: every replica serves the new version' };
  await api.patchDeployment(target.namespace, target.deployment, pinPatch(modelVersion, from));
  return { kind: 'rolled-back', failed: modelVersion, servedVersion: from, deploymentId, reason: verdict.reason };
}

async function watchRollout(api: KubernetesApi, target: KubernetesRolloutTarget, watch: KubernetesWatchOptions): Promise<{ kind: 'complete' } | { kind: 'failed'; reason: string }> {
  const sleep = watch.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const state = rolloutState(await api.getDeployment(target.namespace, target.deployment));
    if (state.kind !== 'progressing') return state;
    if (Date.now() + watch.pollSeconds * 1000 > watch.deadline()) return { kind: 'failed', reason: `no verdict before the function's deadline (${state.detail})` };
    await sleep(watch.pollSeconds * 1000);
  }
}
