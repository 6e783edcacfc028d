/** What a rollout request did: nothing (already serving the version), or started the target's own deployment. */
export type RolloutResult =
  | { readonly kind: 'unchanged'; readonly servedVersion: number }
  | { readonly kind: 'started'; readonly from: number | undefined; readonly to: number; readonly deploymentId: string; readonly detail: string };
