import type * as aps from 'aws-cdk-lib/aws-aps';

/** An Amazon Managed Service for Prometheus workspace that serving metrics are remote-written to. */
export interface PrometheusWorkspace {
  /** Scopes the collector's `aps:RemoteWrite` permission. */
  readonly workspaceArn: string;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write`. */
  readonly remoteWriteUrl: string;
}

/** The remote-write target of a workspace created with the L1 `aps.CfnWorkspace`. */
export function prometheusWorkspaceFromCfn(workspace: aps.CfnWorkspace): PrometheusWorkspace {
  // PrometheusEndpoint ends with a slash: https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/
  return { workspaceArn: workspace.attrArn, remoteWriteUrl: `${workspace.attrPrometheusEndpoint}api/v1/remote_write` };
}
