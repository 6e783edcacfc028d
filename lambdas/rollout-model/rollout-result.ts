/** What a rollout request did: nothing (already serving the version), started the target's own deployment, or rolled it back. */
export type RolloutResult =
  | { readonly kind: 'unchanged'; readonly servedVersion: number }
  | { readonly kind: 'started'; readonly from: number | undefined; readonly to: number; readonly deploymentId: string; readonly detail: string }
  /** The rollout failed and was rolled back within the request (Kubernetes: the function itself watches and reverts). */
  | { readonly kind: 'rolled-back'; readonly failed: number; readonly servedVersion: number | undefined; readonly deploymentId: string; readonly reason: string };
