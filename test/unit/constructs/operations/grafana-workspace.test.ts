import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  CLOUDWATCH_READ_ACTIONS,
  GRAFANA_PROVISIONING_ACTIONS,
  GrafanaWorkspace,
  type GrafanaWorkspaceProps,
  MetricsWorkspace,
  OperationsAlerts,
  PROMETHEUS_QUERY_ACTIONS,
} from '../../../../constructs/operations';
import { GRAFANA_VERSION } from '../../../../lib/config';
import { grafanaProvisioningPropertiesSchema } from '../../../../lib/monitoring/grafana-provisioning';
import { fastCdkContext } from '../../../support/cdk-context';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const DASHBOARD = { uid: 'mlops-test-serving', title: 'Model serving (test)', panels: [] };

function build(overrides: Partial<GrafanaWorkspaceProps> = {}) {
  const stack = new Stack(new App({ context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } }), 'Ops', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const metricsWorkspace = new MetricsWorkspace(stack, 'MetricsWorkspace');
  const grafana = new GrafanaWorkspace(stack, 'Grafana', {
    environmentName: 'test',
    authentication: { authentication: 'AWS_SSO' },
    metricsWorkspace,
    vpc,
    dashboards: [DASHBOARD],
    ...overrides,
  });
  return { stack, grafana, metricsWorkspace, template: Template.fromStack(stack) };
}

const statementsOf = (template: Template, rolePrefix: string) =>
  Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);

describe('GrafanaWorkspace defaults', () => {
  const { stack, grafana, template } = build();

  test('Grafana 10.4 (the dashboards SDK build), this account only, a customer-managed role, plugin management on, retained', () => {
    template.hasResource('AWS::Grafana::Workspace', {
      Properties: {
        Name: 'mlops-test',
        GrafanaVersion: GRAFANA_VERSION,
        AccountAccessType: 'CURRENT_ACCOUNT',
        PermissionType: 'CUSTOMER_MANAGED',
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GrafanaRole'), 'Arn'] },
        PluginAdminEnabled: true,
        AuthenticationProviders: ['AWS_SSO'],
        SamlConfiguration: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
    expect(GRAFANA_VERSION).toBe('10.4');
  });

  test('the role is assumable by Grafana workspaces of this account only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'grafana.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': ENV.account },
              ArnLike: { 'aws:SourceArn': `arn:${stack.partition === 'aws' ? 'aws' : '*'}:grafana:${ENV.region}:${ENV.account}:/workspaces/*` },
            },
          }),
        ],
      },
    });
  });

  test("least privilege: AMP queries on this environment's workspace only, CloudWatch metric reads, nothing else", () => {
    const statements = statementsOf(template, 'GrafanaRolePermissions');
    expect(statements).toEqual([
      expect.objectContaining({
        Action: [...PROMETHEUS_QUERY_ACTIONS].sort(),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MetricsWorkspace/), 'Arn'] },
      }),
      expect.objectContaining({ Sid: 'ReadCloudWatchMetrics', Action: [...CLOUDWATCH_READ_ACTIONS].sort(), Resource: '*' }),
    ]);
  });

  test('in the private subnets behind a group with HTTPS out only, with aps-workspaces and aps endpoints (private DNS)', () => {
    const workspace = Object.values(template.findResources('AWS::Grafana::Workspace'))[0];
    expect(workspace.Properties.VpcConfiguration.SubnetIds).toHaveLength(2);
    expect(workspace.Properties.VpcConfiguration.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^GrafanaSecurityGroup/), 'GroupId'] }]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('Grafana workspace network interfaces'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
    for (const service of ['aps-workspaces', 'aps']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        ServiceName: `com.amazonaws.${ENV.region}.${service}`,
      });
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('AMP interface endpoints'),
      SecurityGroupIngress: [Match.objectLike({ CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'CidrBlock'] }, FromPort: 443, ToPort: 443 })],
    });
    expect(grafana.prometheusEndpoints).toHaveLength(2);
  });

  test('a provisioning custom resource with the two data sources by uid, the AMP plugin and the dashboards', () => {
    const [resource] = Object.values(template.findResources('Custom::GrafanaProvisioning'));
    const properties = stack.resolve(resource.Properties);
    expect(properties.ServiceTimeout).toBe('600');
    expect(properties.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GrafanaProvisioningFunction/), 'Arn'] });
    // The JSON properties as the function parses them (tokens stand in for the workspace id and endpoint).
    const asDeployed = JSON.parse(JSON.stringify(properties).replace(/\{"Ref":"AWS::Region"\}/g, '"eu-west-1"'));
    const plugins = JSON.parse(flatten(asDeployed.Plugins));
    expect(plugins).toEqual([{ id: 'grafana-amazonprometheus-datasource', version: '1.0.5' }]);
    const dataSources = JSON.parse(flatten(asDeployed.DataSources));
    expect(dataSources.map((d: { uid: string; type: string }) => [d.uid, d.type])).toEqual([
      ['mlops-amp', 'grafana-amazonprometheus-datasource'],
      ['mlops-cloudwatch', 'cloudwatch'],
    ]);
    // aps-workspaces.<region>.<URL suffix>/workspaces/<workspace id>, both tokens here.
    expect(dataSources[0].url).toBe('https://aps-workspaces.eu-west-1.TOKEN/workspaces/TOKEN');
    expect(JSON.parse(flatten(asDeployed.Dashboards))).toEqual([DASHBOARD]);
    expect(JSON.parse(flatten(asDeployed.Folder))).toEqual({ uid: 'mlops-test', title: 'MLOps (test)' });
    const parsed = grafanaProvisioningPropertiesSchema.safeParse({
      ...Object.fromEntries(['Plugins', 'DataSources', 'Dashboards', 'Folder'].map((k) => [k, flatten(asDeployed[k])])),
      WorkspaceId: 'g-0123456789',
      GrafanaUrl: 'https://g-0123456789.grafana-workspace.eu-west-1.amazonaws.com',
    });
    expect(parsed.success).toBe(true);
  });

  test('the provisioning function may manage service accounts and tokens of this workspace only, and answers once (no retry)', () => {
    const statements = statementsOf(template, 'GrafanaProvisioningFunctionRolePermissions');
    const grafanaStatement = statements.find((s) => [s.Action].flat().includes('grafana:CreateWorkspaceServiceAccountToken'))!;
    expect(grafanaStatement.Action).toEqual([...GRAFANA_PROVISIONING_ACTIONS].sort());
    expect(JSON.stringify(stack.resolve(grafanaStatement.Resource))).toMatch(/:\/workspaces\/",\{"Fn::GetAtt":\["Grafana[0-9A-F]+","Id"\]\}/);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });
});

describe('GrafanaWorkspace custom props', () => {
  test('SAML: metadata URL, groups attribute, admin and editor groups, sign-in validity', () => {
    const { template } = build({
      authentication: {
        authentication: 'SAML',
        samlMetadataUrl: 'https://idp.example.com/metadata',
        groupsAttribute: 'memberOf',
        adminGroups: ['ops'],
        editorGroups: ['ml'],
        loginValidityMinutes: 60,
      },
    });
    template.hasResourceProperties('AWS::Grafana::Workspace', {
      AuthenticationProviders: ['SAML'],
      SamlConfiguration: {
        IdpMetadata: { Url: 'https://idp.example.com/metadata' },
        AssertionAttributes: { Groups: 'memberOf' },
        RoleValues: { Admin: ['ops'], Editor: ['ml'] },
        LoginValidityDuration: 60,
      },
    });
  });

  test('no endpoints when the VPC has them, a destroy policy, a dead-letter alarm, a shorter timeout', () => {
    const stack = new Stack(new App({ context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } }), 'Ops', { env: ENV });
    const alerts = new OperationsAlerts(stack, 'Alerts');
    const grafana = new GrafanaWorkspace(stack, 'Grafana', {
      environmentName: 'test',
      authentication: { authentication: 'AWS_SSO' },
      metricsWorkspace: new MetricsWorkspace(stack, 'MetricsWorkspace'),
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      prometheusEndpoints: false,
      removalPolicy: RemovalPolicy.DESTROY,
      alarms: alerts,
      provisioningTimeout: Duration.minutes(3),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(grafana.prometheusEndpoints).toEqual([]);
    template.hasResource('AWS::Grafana::Workspace', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('Custom::GrafanaProvisioning', { ServiceTimeout: '180', Dashboards: '[]' });
    const dlqAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes('GrafanaProvisioningFunctionDeadLetterQueue'),
    );
    expect(dlqAlarms.length).toBeGreaterThan(0);
  });
});

describe('GrafanaWorkspace validation', () => {
  test.each<[string, Partial<GrafanaWorkspaceProps>, RegExp]>([
    ['an environment name that cannot be a uid', { environmentName: 'Prod Env' }, /GrafanaWorkspace: invalid environmentName = "Prod Env"; lower-case letters/],
    [
      'a SAML metadata URL over http',
      { authentication: { authentication: 'SAML', samlMetadataUrl: 'http://idp', adminGroups: ['a'] } },
      /invalid authentication\.samlMetadataUrl = "http:\/\/idp"; an https:\/\/ URL/,
    ],
    [
      'SAML without an admin group',
      { authentication: { authentication: 'SAML', samlMetadataUrl: 'https://idp', adminGroups: [] } },
      /invalid authentication\.adminGroups = "\[\]"; at least one group/,
    ],
    ['two dashboards with one uid', { dashboards: [DASHBOARD, DASHBOARD] }, /invalid dashboards = "mlops-test-serving"; each dashboard uid once/],
    [
      'dashboards too large for a custom resource event',
      { dashboards: [{ ...DASHBOARD, description: 'x'.repeat(100_001) }] },
      /invalid dashboards = "\d{6} characters of JSON"; at most 100000/,
    ],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});

/** A Fn::Join of strings and tokens as one string (tokens as placeholders). */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
  return 'TOKEN';
}
