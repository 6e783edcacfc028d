import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MetricsWorkspace, OperationsAlerts, PROMETHEUS_QUERY_ACTIONS, ServingScraper } from '../../../../constructs/operations';
import { fastCdkContext } from '../../../support/cdk-context';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function build(withTopic = true) {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Ops', { env: ENV });
  const alerts = new OperationsAlerts(stack, 'Alerts');
  const workspace = new MetricsWorkspace(stack, 'MetricsWorkspace', { alertTopic: withTopic ? alerts.topic : undefined });
  if (withTopic) alerts.allowPrometheusAlerts(workspace.workspaceArn);
  return { stack, alerts, workspace };
}

describe('MetricsWorkspace defaults', () => {
  const { stack, workspace } = build(false);
  const template = Template.fromStack(stack);

  test('one workspace, named after the stack, encrypted with its own rotating key, retained', () => {
    template.resourceCountIs('AWS::APS::Workspace', 1);
    template.hasResource('AWS::APS::Workspace', {
      Properties: { Alias: 'Ops', KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MetricsWorkspaceKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    expect(template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } })).toHaveProperty([
      Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('MetricsWorkspaceKey'))!,
    ]);
  });

  test('no alert manager without a topic, and alert rules are refused', () => {
    expect(
      template.findResources('AWS::APS::Workspace')[Object.keys(template.findResources('AWS::APS::Workspace'))[0]].Properties.AlertManagerDefinition,
    ).toBeUndefined();
    expect(() => workspace.addAlertRules('Rules', 'serving', [])).toThrow(/MetricsWorkspace: invalid alertTopic.*rules without an alert manager page no one/);
  });

  test('the remote-write URL is the endpoint plus api/v1/remote_write', () => {
    const [, [endpoint, path]] = stack.resolve(workspace.remoteWriteUrl)['Fn::Join'];
    expect([endpoint['Fn::GetAtt'][1], path]).toEqual(['PrometheusEndpoint', 'api/v1/remote_write']);
  });
});

describe('MetricsWorkspace with the alert topic', () => {
  const { stack, workspace } = build();
  workspace.addAlertRules('ServingRules', 'serving', [
    { alert: 'ServingErrorRateHigh', expr: 'sum(rate(serving_requests_total{status=~"5.."}[5m])) > 0', for: '5m', annotations: { summary: 'errors' } },
  ]);
  const template = Template.fromStack(stack);

  test('the alert manager sends every alert to the topic with SigV4', () => {
    const definition = JSON.stringify(stack.resolve(Object.values(template.findResources('AWS::APS::Workspace'))[0].Properties.AlertManagerDefinition));
    for (const fragment of ['alertmanager_config', 'sns_configs', 'topic_arn', 'sigv4', 'region: eu-west-1', 'AlertsTopic'])
      expect(definition).toContain(fragment);
  });

  test('rule groups are a Prometheus rule file in the workspace', () => {
    template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', {
      Name: 'serving',
      Workspace: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MetricsWorkspace'), 'Arn'] },
    });
    const data = JSON.parse(Object.values(template.findResources('AWS::APS::RuleGroupsNamespace'))[0].Properties.Data);
    expect(data).toEqual({ groups: [{ name: 'serving', rules: [expect.objectContaining({ alert: 'ServingErrorRateHigh', for: '5m' })] }] });
  });

  test("the topic accepts AMP's service principal for this workspace of this account only; the key, for this account's workspaces", () => {
    const conditions = {
      StringEquals: { 'aws:SourceAccount': ENV.account },
      ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^MetricsWorkspace'), 'Arn'] } },
    };
    const keyConditions = {
      StringEquals: { 'aws:SourceAccount': ENV.account },
      ArnLike: { 'aws:SourceArn': 'arn:aws:aps:eu-west-1:123456789012:workspace/*' },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'aps.amazonaws.com' }, Action: ['sns:GetTopicAttributes', 'sns:Publish'], Condition: conditions }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'aps.amazonaws.com' }, Condition: keyConditions })]) },
    });
  });

  test('grants are scoped to the workspace', () => {
    const { stack, workspace } = build();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('grafana.amazonaws.com') });
    workspace.grantQuery(role);
    workspace.grantRemoteWrite(role);
    const policy = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const statements = Object.values(policy).flatMap((p) => p.Properties.PolicyDocument.Statement);
    // minimizePolicies merges both grants into one statement on the one workspace.
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [...PROMETHEUS_QUERY_ACTIONS, 'aps:RemoteWrite'].sort(),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MetricsWorkspace/), 'Arn'] },
      },
    ]);
  });
});

describe('MetricsWorkspace custom props and validation', () => {
  test('alias and removal policy', () => {
    const stack = new Stack(new App({ context: fastCdkContext() }), 'Ops', { env: ENV });
    new MetricsWorkspace(stack, 'W', { alias: 'mlops-dev', removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::APS::Workspace', { Properties: { Alias: 'mlops-dev' }, DeletionPolicy: 'Delete' });
  });

  test.each([
    [{ alert: 'bad name', expr: 'up', for: '5m' }, /invalid rules.alert = "bad name"/],
    [{ alert: 'Fine', expr: 'up', for: 'five minutes' }, /invalid rules.for = "five minutes"/],
  ])('a bad rule %j is refused', (rule, message) => {
    const { workspace } = build();
    expect(() => workspace.addAlertRules('R', 'g', [{ ...rule, annotations: { summary: 's' } }])).toThrow(message);
  });
});

describe('ServingScraper', () => {
  const stack = new Stack(new App({ context: fastCdkContext() }), 'Serving', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const workspace = MetricsWorkspace.fromMetricsWorkspaceAttributes(stack, 'W', {
    workspaceId: 'ws-1',
    workspaceArn: 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-1',
    prometheusEndpoint: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/',
  });
  const scraper = new ServingScraper(stack, 'Scraper', {
    clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/serving',
    clusterName: 'serving',
    vpc,
    workspace,
    modelNames: ['fraud-scorer'],
  });
  const template = Template.fromStack(stack);

  test('scrapes the cluster from its private subnets into the workspace', () => {
    template.hasResourceProperties('AWS::APS::Scraper', {
      Source: {
        EksConfiguration: { ClusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/serving', SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
      },
      Destination: { AmpConfiguration: { WorkspaceArn: 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-1' } },
    });
  });

  test("the scrape config keeps the pods' labels, only the serving namespaces, annotated pods, every 30 s", () => {
    const blob = Object.values(template.findResources('AWS::APS::Scraper'))[0].Properties.ScrapeConfiguration.ConfigurationBlob;
    const config = JSON.parse(Buffer.from(blob, 'base64').toString('utf8'));
    expect(config).toEqual(scraper.scrapeConfig);
    expect(config.global.scrape_interval).toBe('30s');
    const [job] = config.scrape_configs;
    expect(job.honor_labels).toBe(true);
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['serving-fraud-scorer'] } }]);
    expect(job.relabel_configs).toContainEqual({ target_label: 'serving_target', replacement: 'eks' });
  });

  test("the scraper's role is mapped to the collector user on the cluster", () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'serving',
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Scraper'), 'RoleArn'] },
      Username: 'aps-collector-user',
      Type: 'STANDARD',
    });
  });

  test('its own security group reaches only the VPC on the serving port and HTTPS', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ FromPort: 8080, ToPort: 8080 }), Match.objectLike({ FromPort: 443, ToPort: 443 })],
    });
  });

  test('validation', () => {
    expect(() => new ServingScraper(stack, 'None', { clusterArn: 'a', clusterName: 'c', vpc, workspace, modelNames: [] })).toThrow(/invalid modelNames/);
  });
});
