/**
 * How an EKS model's Deployment carries its pin (docs/serving-targets.md, "EKS"): the pod template annotation below
 * holds the version, and the container reads it as `SERVED_MODEL_VERSION` through the downward API. Terraform sets it
 * once at creation and then ignores it; only the rollout function changes it, with a strategic merge patch.
 */
export const SERVED_VERSION_ANNOTATION = 'mlops.blueprint/served-model-version';

/** Deployment annotation the rollout writes with each patch: the version to return to if the rollout fails. */
export const PREVIOUS_VERSION_ANNOTATION = 'mlops.blueprint/previous-served-model-version';

/**
 * Deployment annotation listing the versions (comma-separated) the rollout rolled back on their error-rate or latency
 * signals: the function never rolls the Deployment forward to them again. Remove a version from it to allow that.
 */
export const ROLLED_BACK_VERSIONS_ANNOTATION = 'mlops.blueprint/rolled-back-model-versions';

/** Kubernetes group the rollout function's EKS access entry maps its role to; a Role per model namespace is bound to it. */
export const MODEL_ROLLOUT_GROUP = 'mlops-model-rollout';

/** The Deployment of every EKS model (one per `serving-<model>` namespace) and its serving container. */
export const MODEL_DEPLOYMENT = { name: 'model-server', container: 'server' } as const;

/**
 * How long a rollout may take before Kubernetes marks it failed (`progressDeadlineSeconds`): scheduling, a node from the
 * Cluster Autoscaler, the model download and the 5-minute startup probe.
 */
export const ROLLOUT_PROGRESS_DEADLINE_SECONDS = 600;
