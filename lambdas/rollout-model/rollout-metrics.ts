/** Powertools service name of the rollout-model function: the `service` dimension of its metrics. */
export const ROLLOUT_SERVICE = 'rollout-model';

/** Metric names the rollout-model function emits (namespace MlopsBlueprint, service rollout-model; no other dimension). */
export const ROLLOUT_METRICS = {
  /** A rollout failed or was stopped (the pin is set back to the version still serving), or was rolled back. */
  rolloutsFailed: 'ModelRolloutsFailed',
  /** An EKS rollout rolled back because the new version's error rate or latency crossed its alert threshold. */
  rolloutsRolledBackOnSignals: 'ModelRolloutsRolledBackOnSignals',
  rolloutsStarted: 'ModelRolloutsStarted',
  /** A rollout completed without its error-rate and latency signals being checked. */
  rolloutsUnchecked: 'ModelRolloutsUnchecked',
  /** No approved version of the model is in the repository: the current version keeps serving. */
  rolloutsWithoutApprovedVersion: 'ModelRolloutsWithoutApprovedVersion',
} as const;
