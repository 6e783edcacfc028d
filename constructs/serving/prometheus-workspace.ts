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
