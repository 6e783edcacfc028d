/**
 * The operations domain's resource pattern (docs/resource-pattern.md): a Prometheus workspace another team owns,
 * imported, gives the serving targets their remote-write URL and grants like a created one; each grant returns one
 * successful `iam.Grant` scoped to that workspace. No synth. (PlatformAlarms' metrics: platform-alarms-metrics.test.ts.)
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MetricsWorkspace, PROMETHEUS_QUERY_ACTIONS } from '../../../../constructs/operations';
import { fastCdkContext } from '../../../support/cdk-context';

const WORKSPACE_ARN = 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-team';

const stack = new Stack(new App({ context: fastCdkContext() }), 'Consumer');
const workspace = MetricsWorkspace.fromMetricsWorkspaceAttributes(stack, 'TeamWorkspace', {
  workspaceId: 'ws-team',
  workspaceArn: WORKSPACE_ARN,
  prometheusEndpoint: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-team/',
});
const role = new iam.Role(stack, 'Collector', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
const statementsOf = (grant: iam.Grant) => grant.principalStatements.map((statement) => stack.resolve(statement.toStatementJson()) as unknown);

test('the imported workspace has the remote-write URL the Fargate collector writes to', () => {
  expect(workspace.remoteWriteUrl).toBe('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-team/api/v1/remote_write');
  expect(workspace.workspaceArn).toBe(WORKSPACE_ARN);
});

test('grantRemoteWrite and grantQuery return one successful iam.Grant each, on that workspace only', () => {
  const write = workspace.grantRemoteWrite(role);
  const query = workspace.grantQuery(role);
  for (const grant of [write, query]) {
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
  }
  expect(statementsOf(write)).toEqual([{ Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: WORKSPACE_ARN }]);
  expect(statementsOf(query)).toEqual([{ Effect: 'Allow', Action: [...PROMETHEUS_QUERY_ACTIONS], Resource: WORKSPACE_ARN }]);
});
