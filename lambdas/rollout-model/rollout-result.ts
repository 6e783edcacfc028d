import type { ServingSignalName } from '../../lib/monitoring/serving-signals';

/** What a rollout request did: nothing (already serving the version), started the target's own deployment, or rolled it back. */
export type RolloutResult =
  | { readonly kind: 'unchanged'; readonly servedVersion: number }
  | {
      readonly kind: 'started';
      readonly from: number | undefined;
      readonly to: number;
      readonly deploymentId: string;
      readonly detail: string;
      /** Kubernetes: the new version's signals were checked with traffic (`healthy`), or never (`unchecked`: no traffic, or the queries failed). */
      readonly signals?: 'healthy' | 'unchecked';
    }
  /** The rollout failed and was rolled back within the request (Kubernetes: the function itself watches and reverts). */
  | {
      readonly kind: 'rolled-back';
      readonly failed: number;
      readonly servedVersion: number | undefined;
      readonly deploymentId: string;
      readonly reason: string;
      /** Set when the error-rate or latency signal rolled it back (the version is then never rolled out again). */
      readonly signal?: ServingSignalName;
    };
