import type { ServingSignalName } from '../../lib/monitoring/serving-signals';
import {
  NO_SERVED_VERSION,
  PREVIOUS_VERSION_ANNOTATION,
  ROLLED_BACK_VERSIONS_ANNOTATION,
  SERVED_VERSION_ANNOTATION,
  SignalJudge,
  type KubernetesRolloutTarget,
} from '../../lib/rollout';
import { UnknownServedVersionError } from './errors';
import type { Deployment, KubernetesApi } from './kubernetes-api';
import type { RolloutResult } from './rollout-result';
import type { ReadServingSignals } from './serving-signal-check';

export type RolloutState =
  { readonly kind: 'complete' } | { readonly kind: 'progressing'; readonly detail: string } | { readonly kind: 'failed'; readonly reason: string };

export interface KubernetesWatchOptions {
  /** Seconds between two reads of the Deployment's status. */
  readonly pollSeconds: number;
  /** When the function must stop watching (epoch ms); an unfinished rollout is then rolled back. */
  readonly deadline: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch ms; tests drive it with `sleep`. @default Date.now */
  readonly now?: () => number;
}

/** What a Kubernetes rollout needs besides the target: the cluster's API, how to watch, where the signals come from. */
export interface KubernetesRolloutDeps {
  readonly api: KubernetesApi;
  readonly watch: KubernetesWatchOptions;
  readonly readSignals: ReadServingSignals;
}

const parseVersion = (value: string | undefined): number | undefined => (value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined);
const pinOf = (version: number | undefined): string => (version === undefined ? NO_SERVED_VERSION : String(version));

/** The version the Deployment's pod template is pinned to (what its new pods serve). */
export function kubernetesPinnedVersion(deployment: Deployment, target: KubernetesRolloutTarget): number | undefined {
  const pinned = deployment.spec.template.metadata?.annotations?.[SERVED_VERSION_ANNOTATION];
  if (pinned === undefined)
    throw new UnknownServedVersionError(`Deployment ${target.namespace}/${target.deployment} (annotation ${SERVED_VERSION_ANNOTATION})`);
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

/** The versions the rollout rolled back on their signals (`ROLLED_BACK_VERSIONS_ANNOTATION`): never rolled out again. */
export function rolledBackVersions(deployment: Deployment): number[] {
  const listed = deployment.metadata.annotations?.[ROLLED_BACK_VERSIONS_ANNOTATION] ?? '';
  return listed.split(',').flatMap((item) => {
    const version = parseVersion(item.trim());
    return version === undefined ? [] : [version];
  });
}

/**
 * The strategic merge patch that pins the pod template to `to` and records `from` for a rollback; with `rolledBack`,
 * also the list of versions rolled back on their signals.
 */
export function pinPatch(from: number | undefined, to: number | undefined, rolledBack?: readonly number[]): object {
  const annotations: Record<string, string> = { [PREVIOUS_VERSION_ANNOTATION]: pinOf(from) };
  if (rolledBack !== undefined) annotations[ROLLED_BACK_VERSIONS_ANNOTATION] = [...new Set(rolledBack)].sort((a, b) => a - b).join(',');
  return {
    metadata: { annotations },
    spec: { template: { metadata: { annotations: { [SERVED_VERSION_ANNOTATION]: pinOf(to) } } } },
  };
}

/**
 * Moves the Deployment to `modelVersion` through its rolling update (maxSurge 1, maxUnavailable 0: an old pod goes only
 * after a new one is ready) and watches it, and the new version's error-rate and p99-latency signals, until the update
 * is complete and the bake has passed → `started`. ProgressDeadlineExceeded, or no verdict before the function's
 * deadline → patched back to the version it served (`rolled-back`); a signal above its threshold at
 * `evaluationsToRollBack` consecutive checks → patched back too, and the version is recorded in
 * `ROLLED_BACK_VERSIONS_ANNOTATION` so that no later event rolls it out again. A Deployment already pinned to
 * `modelVersion` is watched too (a rollout an earlier invocation started), and rolled back to its recorded previous
 * version if it failed. `current` is the Deployment as just read.
 */
export async function rolloutKubernetes(
  deps: KubernetesRolloutDeps,
  target: KubernetesRolloutTarget,
  model: string,
  modelVersion: number,
  current: Deployment,
): Promise<RolloutResult> {
  const { api } = deps;
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
  const verdict = await watchRollout(deps, target, model, modelVersion);
  if (verdict.kind === 'complete') return { kind: 'started', from, to: modelVersion, deploymentId, detail: verdict.detail, signals: verdict.signals };
  const rolledBack = verdict.signal === undefined ? undefined : [...rolledBackVersions(current), modelVersion];
  await api.patchDeployment(target.namespace, target.deployment, pinPatch(modelVersion, from, rolledBack));
  return { kind: 'rolled-back', failed: modelVersion, servedVersion: from, deploymentId, reason: verdict.reason, signal: verdict.signal };
}

type WatchVerdict =
  | { readonly kind: 'complete'; readonly detail: string; readonly signals: 'healthy' | 'unchecked' }
  | { readonly kind: 'failed'; readonly reason: string; readonly signal?: ServingSignalName };

/**
 * Polls the Deployment and the version's signals every `pollSeconds`: from the patch (the first new pod takes traffic
 * as soon as it is ready) until `bakeSeconds` after the update is complete. A bake cut short by the function's
 * deadline ends there, and says so.
 */
async function watchRollout(deps: KubernetesRolloutDeps, target: KubernetesRolloutTarget, model: string, version: number): Promise<WatchVerdict> {
  const { api, watch, readSignals } = deps;
  const sleep = watch.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = watch.now ?? Date.now;
  const judge = new SignalJudge(target.signals.evaluationsToRollBack);
  const bakeMs = target.signals.bakeSeconds * 1000;
  let completedAt: number | undefined;
  for (;;) {
    const state = rolloutState(await api.getDeployment(target.namespace, target.deployment));
    if (state.kind === 'failed') return state;
    const signal = judge.record(
      await readSignals(model, version, target.signals).catch((error: Error) => ({ kind: 'unavailable' as const, reason: error.message })),
    );
    if (signal.kind === 'breached') return { kind: 'failed', reason: signal.reason, signal: signal.signal };
    const time = now();
    const outOfTime = time + watch.pollSeconds * 1000 > watch.deadline();
    // Once every replica served the new version, the bake runs to its end (a later HPA scale-up does not undo that).
    if (state.kind === 'complete') completedAt ??= time;
    if (completedAt === undefined) {
      if (outOfTime)
        return { kind: 'failed', reason: `no verdict before the function's deadline (${state.kind === 'progressing' ? state.detail : 'complete'})` };
    } else {
      const baked = time - completedAt >= bakeMs;
      if (baked || outOfTime) return bakeVerdict(version, judge, Math.round((time - completedAt) / 1000), baked ? undefined : target.signals.bakeSeconds);
    }
    await sleep(watch.pollSeconds * 1000);
  }
}

/**
 * A completed rollout's outcome: checked with traffic, or unchecked because no request reached the version or the
 * workspace could not be queried (a transient query error is not a rollback, and a rollout is not held for it).
 */
function bakeVerdict(version: number, judge: SignalJudge, bakedSeconds: number, configuredBakeSeconds?: number): WatchVerdict {
  const bake = `${bakedSeconds} s bake${configuredBakeSeconds === undefined ? '' : ` (cut short by the function's deadline; ${configuredBakeSeconds} s configured)`}`;
  if (judge.measured === 0) {
    const why = judge.lastFailure === undefined ? 'no request reached it' : `no check with traffic succeeded (last query error: ${judge.lastFailure})`;
    return {
      kind: 'complete',
      signals: 'unchecked',
      detail: `rolling update complete; error rate and latency of version ${version} unchecked during the rollout and the ${bake}: ${why}`,
    };
  }
  const failures = judge.lastFailure === undefined ? '' : ` (some queries failed; last error: ${judge.lastFailure})`;
  return {
    kind: 'complete',
    signals: 'healthy',
    detail: `rolling update complete; error rate and p99 latency of version ${version} within limits at ${judge.measured} checks with traffic, ${bake}${failures}`,
  };
}
