import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';

export interface MetricsWorkspaceProps {
  /**
   * Workspace alias, shown in the console and in Grafana's data source.
   * @default - the stack name
   */
  readonly alias?: string;

  /**
   * Customer-managed key that encrypts the workspace's samples, rules and alert manager definition.
   * @default - a new key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Topic the workspace's alert manager sends firing rules to. Its policy must let `aps.amazonaws.com` publish for
   * this workspace only (`OperationsAlerts.allowPrometheusAlerts` does that).
   * @default - no alert manager definition: rule groups can be added but page no one
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * What happens to the workspace and the key this construct creates when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A workspace that exists already. */
export interface MetricsWorkspaceAttributes {
  /** `ws-...`. */
  readonly workspaceId: string;
  /** `arn:<partition>:aps:<region>:<account>:workspace/ws-...`. */
  readonly workspaceArn: string;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/ws-.../` (with the trailing slash, as AMP returns it). */
  readonly prometheusEndpoint: string;
}

/** One Prometheus alerting rule, as in a Prometheus rule file. */
export interface PrometheusAlertRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration, e.g. `5m`. */
  readonly for: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations: { readonly summary: string; readonly description?: string };
}
