import * as path from 'node:path';
import { ArnFormat, CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GRAFANA_VERSION } from '../../lib/config/grafana';
import { grafanaProvisioningProperties } from '../../lib/monitoring/grafana-provisioning';
import { PlatformFunction } from '../functions/platform-function';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';
import { AMAZON_PROMETHEUS_PLUGIN, grafanaDataSources } from './dashboards/datasources';
import type { GrafanaAuthentication, GrafanaWorkspaceProps } from './grafana-workspace-props';

const NAME = 'GrafanaWorkspace';
/** Dashboards travel in the custom resource's properties, twice in an Update (old and new): keep both well inside an event. */
const MAX_DASHBOARD_CHARS = 100_000;
const PROVISION_ENTRY = path.join(__dirname, '..', '..', 'lambdas', 'provision-grafana', 'handler.ts');
/** CloudWatch reads the CloudWatch data source makes; neither action supports resource-level permissions. */
export const CLOUDWATCH_READ_ACTIONS = ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'] as const;
/** What the provisioning function does to the workspace: its own service account and short-lived tokens. */
export const GRAFANA_PROVISIONING_ACTIONS = [
  'grafana:CreateWorkspaceServiceAccount',
  'grafana:ListWorkspaceServiceAccounts',
  'grafana:DeleteWorkspaceServiceAccount',
  'grafana:CreateWorkspaceServiceAccountToken',
  'grafana:DeleteWorkspaceServiceAccountToken',
] as const;

/**
 * An Amazon Managed Grafana workspace (Grafana 10.4) for one environment: a customer-managed role that may query the
 * environment's Prometheus workspace and read CloudWatch metrics and nothing else, sign-in through IAM Identity Center
 * or SAML, outbound traffic from the VPC (with `aps-workspaces`/`aps` interface endpoints, without which the workspace
 * times out on AMP), and a custom resource that provisions the AMP plugin, the two data sources (uids `mlops-amp`,
 * `mlops-cloudwatch`) and the dashboards through Grafana's HTTP API with a service-account token of 5 minutes.
 */
export class GrafanaWorkspace extends Construct {
  readonly workspace: grafana.CfnWorkspace;
  /** The role Grafana's data sources sign their AWS requests with. */
  readonly role: ManagedPolicyRole;
  readonly securityGroup: ec2.SecurityGroup;
  /** `aps-workspaces` and `aps` interface endpoints (none when `prometheusEndpoints` is false). */
  readonly prometheusEndpoints: readonly ec2.InterfaceVpcEndpoint[];
  readonly provisioningFunction: PlatformFunction;
  readonly provisioning: CustomResource;
  readonly workspaceId: string;
  /** `https://g-….grafana-workspace.<region>.amazonaws.com`: where people sign in. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: GrafanaWorkspaceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const prometheusEndpoints = props.prometheusEndpoints ?? true;
    const dashboards = props.dashboards ?? [];
    const provisioningTimeout = props.provisioningTimeout ?? Duration.minutes(10);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    validate(props);
    const subnetIds = props.vpc.selectSubnets(vpcSubnets).subnetIds;

    this.role = new ManagedPolicyRole(this, 'Role', {
      // Confused-deputy protection: only a Grafana workspace of this account may assume the role.
      assumedBy: new iam.ServicePrincipal('grafana.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'grafana', resource: '/workspaces', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
          },
        },
      }),
      description: `Amazon Managed Grafana of ${props.environmentName}: queries its Prometheus workspace, reads CloudWatch metrics`,
    });
    props.metricsWorkspace.grantQuery(this.role);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadCloudWatchMetrics', actions: [...CLOUDWATCH_READ_ACTIONS], resources: ['*'] }));
    acknowledgeWildcardResource(
      this.role,
      '*',
      'cloudwatch:GetMetricData and cloudwatch:ListMetrics (the CloudWatch data source reading metrics for the dashboards) support no resource-level ' +
        'permission; the role can read metrics only, no logs, alarms or other data.',
    );

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${stack.stackName} ${this.node.path}: Grafana workspace network interfaces; no inbound, HTTPS out to AMP and CloudWatch`,
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the AMP endpoint in the VPC and to CloudWatch (through NAT)');

    this.prometheusEndpoints = prometheusEndpoints ? this.createPrometheusEndpoints(props.vpc, vpcSubnets) : [];

    this.workspace = new grafana.CfnWorkspace(this, 'Resource', {
      name: `mlops-${props.environmentName}`,
      description: `mlops-blueprint ${props.environmentName}: serving, data, drift and training dashboards`,
      accountAccessType: 'CURRENT_ACCOUNT',
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: this.role.roleArn,
      grafanaVersion: GRAFANA_VERSION,
      // The AMP data source is a plugin on Grafana 10.4: the provisioning installs it.
      pluginAdminEnabled: true,
      vpcConfiguration: { securityGroupIds: [this.securityGroup.securityGroupId], subnetIds },
      ...authenticationOf(props.authentication),
    });
    this.workspace.applyRemovalPolicy(removalPolicy);
    // AMP queries must find the endpoints when the workspace starts.
    for (const endpoint of this.prometheusEndpoints) this.workspace.node.addDependency(endpoint);
    this.workspaceId = this.workspace.attrId;
    this.url = `https://${this.workspace.attrEndpoint}`;

    // A few HTTP calls per deploy: 256 MB; one run at a time.
    this.provisioningFunction = new PlatformFunction(this, 'ProvisioningFunction', {
      entry: PROVISION_ENTRY,
      description: `Provisions the ${props.environmentName} Grafana workspace: plugin, data sources, dashboards (custom resource)`,
      memorySize: 256,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 1,
      vpc: props.vpc,
      vpcSubnets,
      encryptionKey: props.encryptionKey,
      // One invocation, one answer to CloudFormation: a retry could answer a request already answered.
      retryAttempts: 0,
      removalPolicy,
    });
    this.grantProvisioning(this.provisioningFunction.role);
    this.provisioningFunction.acknowledgeWildcardResource(
      '*',
      'Resource "*" only for actions that support no resource-level permission: ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets (Lambda VPC ' +
        'networking) and xray:PutTraceSegments / PutTelemetryRecords (tracing).',
    );
    if (props.alarms) this.provisioningFunction.addAlarms(props.alarms);

    this.provisioning = new CustomResource(this, 'Provisioning', {
      serviceToken: this.provisioningFunction.function.functionArn,
      resourceType: 'Custom::GrafanaProvisioning',
      serviceTimeout: provisioningTimeout,
      properties: grafanaProvisioningProperties(
        {
          workspaceId: this.workspaceId,
          grafanaUrl: this.url,
          folder: { uid: `mlops-${props.environmentName}`, title: `MLOps (${props.environmentName})` },
          plugins: [AMAZON_PROMETHEUS_PLUGIN],
          dataSources: grafanaDataSources({
            environment: props.environmentName,
            prometheusUrl: `https://aps-workspaces.${stack.region}.${stack.urlSuffix}/workspaces/${props.metricsWorkspace.workspaceId}`,
            region: stack.region,
          }),
          dashboards: [...dashboards],
        },
        (value) => stack.toJsonString(value),
      ),
    });
    // The function's permissions must exist before CloudFormation calls it.
    this.provisioning.node.addDependency(this.provisioningFunction.role);
  }

  /**
   * `aps-workspaces` and `aps` endpoints with private DNS behind one security group that admits HTTPS from the VPC's
   * CIDR: with private DNS every AMP client of the VPC (the ADOT sidecars too) resolves to them, so all must reach them.
   */
  private createPrometheusEndpoints(vpc: ec2.IVpc, subnets: ec2.SubnetSelection): ec2.InterfaceVpcEndpoint[] {
    const securityGroup = new ec2.SecurityGroup(this, 'PrometheusEndpointsSecurityGroup', {
      vpc,
      description: `${Stack.of(this).stackName} ${this.node.path}: AMP interface endpoints; HTTPS in from the VPC only`,
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS from the VPC to the AMP endpoints');
    const cfnGroup = securityGroup.node.defaultChild as CfnResource;
    const reason =
      "Ingress is HTTPS (443) only, from the VPC's own CIDR block, which the network stack exports (Fn::ImportValue) so the rule cannot resolve it: " +
      'only hosts inside the VPC reach the AMP interface endpoints; no SSH, no other port, nothing from outside the VPC.';
    for (const rule of [Rule.ec2UnrestrictedIngressAwsSolutions, Rule.ec2RestrictedCommonPortsNist, Rule.ec2RestrictedSshNist])
      acknowledgeFinding(cfnGroup, rule, reason);
    return (
      [
        ['PrometheusWorkspacesEndpoint', ec2.InterfaceVpcEndpointAwsService.PROMETHEUS_WORKSPACES],
        ['PrometheusEndpoint', ec2.InterfaceVpcEndpointAwsService.PROMETHEUS],
      ] as const
    ).map(
      ([id, service]) =>
        new ec2.InterfaceVpcEndpoint(this, id, { vpc, service, subnets, privateDnsEnabled: true, open: false, securityGroups: [securityGroup] }),
    );
  }

  /** The workspace's ARN (`arn:…:grafana:<region>:<account>:/workspaces/<id>`). */
  get workspaceArn(): string {
    return Stack.of(this).formatArn({ service: 'grafana', resource: '/workspaces', resourceName: this.workspaceId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** Service accounts and their tokens on this workspace only: what the provisioning needs. */
  grantProvisioning(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...GRAFANA_PROVISIONING_ACTIONS], resourceArns: [this.workspaceArn] });
  }
}

function authenticationOf(auth: GrafanaAuthentication): Pick<grafana.CfnWorkspaceProps, 'authenticationProviders' | 'samlConfiguration'> {
  if (auth.authentication === 'AWS_SSO') return { authenticationProviders: ['AWS_SSO'] };
  return {
    authenticationProviders: ['SAML'],
    samlConfiguration: {
      idpMetadata: { url: auth.samlMetadataUrl },
      assertionAttributes: { groups: auth.groupsAttribute ?? 'groups' },
      roleValues: { admin: [...auth.adminGroups], editor: [...(auth.editorGroups ?? [])] },
      loginValidityDuration: auth.loginValidityMinutes ?? 1440,
    },
  };
}

function validate(props: GrafanaWorkspaceProps): void {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(props.environmentName)) {
    throw new InvalidPropError(
      NAME,
      'environmentName',
      props.environmentName,
      'lower-case letters, digits and hyphens (in the workspace name and the Grafana uids)',
    );
  }
  const auth = props.authentication;
  if (auth.authentication === 'SAML') {
    if (!auth.samlMetadataUrl.startsWith('https://'))
      throw new InvalidPropError(NAME, 'authentication.samlMetadataUrl', auth.samlMetadataUrl, 'an https:// URL');
    if (auth.adminGroups.length === 0)
      throw new InvalidPropError(NAME, 'authentication.adminGroups', '[]', 'at least one group, or no one can administer the workspace');
  }
  const dashboardChars = JSON.stringify(props.dashboards ?? []).length;
  if (dashboardChars > MAX_DASHBOARD_CHARS) {
    throw new InvalidPropError(
      NAME,
      'dashboards',
      `${dashboardChars} characters of JSON`,
      `at most ${MAX_DASHBOARD_CHARS}: an Update request carries the old and the new dashboards, and CloudFormation invokes the function asynchronously (Lambda's 256 KB event limit); split them over two workspaces or fewer panels`,
    );
  }
  const uids = new Set<string>();
  for (const dashboard of props.dashboards ?? []) {
    if (uids.has(dashboard.uid)) throw new InvalidPropError(NAME, 'dashboards', dashboard.uid, 'each dashboard uid once (a uid names one dashboard)');
    uids.add(dashboard.uid);
  }
}
