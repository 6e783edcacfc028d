// The Grafana workspace as each environment's operations stack deploys it: on where the config asks for it, signing in
// as configured, provisioning exactly the dashboards `npm run dashboards` writes, its failures alarmed.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDashboards } from '../../../constructs/operations/dashboards';
import { buildPlatform } from '../../../stacks/platform-app';
import { dashboardInputOf } from '../../../stacks/dashboard-input';
import { environmentNames, fastCdkContext } from '../../support/cdk-context';

describe.each(environmentNames())('%s operations stack', (environment) => {
  const platform = buildPlatform(new App({ context: { ...fastCdkContext(), env: environment, 'aws:cdk:bundling-stacks': [] } }), environment);
  const { name, config } = platform.environment;
  const template = Template.fromStack(platform.operations);
  const grafana = config.monitoring.grafana;

  test('a Grafana workspace exactly where the config asks for one', () => {
    template.resourceCountIs('AWS::Grafana::Workspace', grafana ? 1 : 0);
    template.resourceCountIs('Custom::GrafanaProvisioning', grafana ? 1 : 0);
    expect(platform.operations.grafana !== undefined).toBe(grafana !== undefined);
  });

  if (!grafana) return;

  test('sign-in as configured', () => {
    const [workspace] = Object.values(template.findResources('AWS::Grafana::Workspace'));
    expect(workspace.Properties.AuthenticationProviders).toEqual([grafana.authentication]);
    if (grafana.authentication === 'SAML') {
      expect(workspace.Properties.SamlConfiguration).toEqual({
        IdpMetadata: { Url: grafana.samlMetadataUrl },
        AssertionAttributes: { Groups: grafana.groupsAttribute },
        RoleValues: { Admin: grafana.adminGroups, Editor: grafana.editorGroups },
        LoginValidityDuration: grafana.loginValidityMinutes,
      });
    }
  });

  test('in the environment VPC private subnets, one per zone', () => {
    const [workspace] = Object.values(template.findResources('AWS::Grafana::Workspace'));
    expect(workspace.Properties.VpcConfiguration.SubnetIds).toHaveLength(platform.network.network.vpc.privateSubnets.length);
  });

  test('provisions the dashboards `npm run dashboards` writes for the environment, unchanged', () => {
    const [resource] = Object.values(template.findResources('Custom::GrafanaProvisioning'));
    expect(JSON.parse(resource.Properties.Dashboards as string)).toEqual(buildDashboards(dashboardInputOf(name, config)).map((d) => d.json));
  });

  test('its function failures page the alert topic, and the stack tells where to sign in', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes('GrafanaProvisioningFunctionDeadLetterQueue'),
    );
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    template.hasOutput('GrafanaUrl', {});
  });
});
