import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IMetricsWorkspace } from './metrics-workspace';
import type { IQueueAlarms } from './queue-alarms';

/** How people sign in: IAM Identity Center, or a SAML 2.0 identity provider whose groups map to Grafana roles. */
export type GrafanaAuthentication =
  | { readonly authentication: 'AWS_SSO' }
  | {
      readonly authentication: 'SAML';
      /** https URL of the identity provider's SAML metadata. */
      readonly samlMetadataUrl: string;
      /** Assertion attribute that holds the user's groups. @default 'groups' */
      readonly groupsAttribute?: string;
      /** Groups that are Grafana admins (at least one). */
      readonly adminGroups: readonly string[];
      /** Groups that are Grafana editors; anyone else who signs in is a viewer. @default - none */
      readonly editorGroups?: readonly string[];
      /** How long a sign-in stays valid, in minutes. @default 1440 */
      readonly loginValidityMinutes?: number;
    };

/** One dashboard to provision: Grafana's dashboard model with an explicit uid (e.g. from `buildDashboards`). */
export interface ProvisionedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly [key: string]: unknown;
}

export interface GrafanaWorkspaceProps {
  /** Environment name: in the workspace name, the data source names and the dashboard folder. */
  readonly environmentName: string;

  /** Sign-in through IAM Identity Center or SAML (lib/config/grafana.ts in the environment config). */
  readonly authentication: GrafanaAuthentication;

  /** The environment's Prometheus: the workspace role may query it and nothing else in AMP. */
  readonly metricsWorkspace: IMetricsWorkspace;

  /**
   * VPC the workspace's outbound traffic (its queries to AMP and CloudWatch) and the provisioning function run in.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the workspace's and the function's network interfaces (Amazon Managed Grafana takes 2 to 6, in two
   * zones or more).
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Whether to add `aps-workspaces` (queries, remote write) and `aps` (control plane) interface endpoints with private
   * DNS to the VPC, so AMP traffic stays inside it. Leave off when the VPC has them already (private DNS allows one
   * endpoint per service per VPC). They admit HTTPS from the VPC's CIDR, so every AMP writer in the VPC uses them.
   * @default true
   */
  readonly prometheusEndpoints?: boolean;

  /** Dashboards to provision (uids stable across deploys: an update overwrites them). @default - none */
  readonly dashboards?: readonly ProvisionedDashboard[];

  /**
   * Where the provisioning function's dead-letter queue alarms.
   * @default - no alarm
   */
  readonly alarms?: IQueueAlarms;

  /**
   * Key for the provisioning function's logs, environment and dead-letter queue.
   * @default - a new key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long CloudFormation waits for the provisioning to answer.
   * @default Duration.minutes(10)
   */
  readonly provisioningTimeout?: Duration;

  /**
   * What happens to the workspace (and dashboards people made by hand in it), the function's log group, queue and a
   * key created here when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
