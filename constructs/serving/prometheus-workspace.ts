import type * as iam from 'aws-cdk-lib/aws-iam';

/**
 * An Amazon Managed Service for Prometheus workspace as serving targets use it (the environment's `MetricsWorkspace`
 * in `constructs/operations`, or one imported with `MetricsWorkspace.fromMetricsWorkspaceAttributes`).
 */
export interface PrometheusWorkspace {
  /** Scopes the collector's `aps:RemoteWrite` permission and the EKS scraper's destination. */
  readonly workspaceArn: string;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write`. */
  readonly remoteWriteUrl: string;
}

/** A workspace that can also be queried: where the model rollout reads an EKS model version's error rate and latency. */
export interface QueryablePrometheusWorkspace extends PrometheusWorkspace {
  /** Ends with a slash; the Prometheus HTTP API is under `<endpoint>api/v1/`. */
  readonly prometheusEndpoint: string;
  /** `aps:QueryMetrics` (PromQL queries) on this workspace only. */
  grantQueryMetrics(grantee: iam.IGrantable): iam.Grant;
}
