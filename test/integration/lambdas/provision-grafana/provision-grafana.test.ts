// The Grafana provisioning custom resource end to end through its handler: the Amazon Managed Grafana calls checked
// against their documented request shapes (aws-sdk-client-mock), Grafana's HTTP API served by a local stand-in that
// only accepts a live token, and CloudFormation's response URL on the same server.
import { randomBytes } from 'node:crypto';
import {
  ConflictException,
  CreateWorkspaceServiceAccountCommand,
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  GrafanaClient,
  ListWorkspaceServiceAccountsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-grafana';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AMAZON_PROMETHEUS_PLUGIN, buildDashboards, grafanaDataSources } from '../../../../constructs/operations/dashboards';
import { handler } from '../../../../lambdas/provision-grafana/handler';
import { loadEnvironment } from '../../../../lib/config';
import { GRAFANA_SERVICE_ACCOUNT, GRAFANA_TOKEN_TTL_SECONDS, grafanaProvisioningProperties } from '../../../../lib/monitoring/grafana-provisioning';
import { dashboardInputOf } from '../../../../stacks/dashboard-input';
import { cdkContext } from '../../../support/cdk-context';
import { GrafanaStandIn } from './grafana-stand-in';

const WORKSPACE = 'g-0123456789';
const OTHER_WORKSPACE = 'g-abcdef0123';
const SERVICE_ACCOUNT_ID = '42';
const grafanaMock = mockClient(GrafanaClient);
const context = {
  functionName: 'provision-grafana',
  awsRequestId: 'request-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:provision-grafana',
} as Context;
const prod = loadEnvironment(cdkContext().environments, 'prod');
const DASHBOARDS = buildDashboards(dashboardInputOf(prod.name, prod.config)).map((d) => d.json);

let standIn: GrafanaStandIn;
let issued: Array<{ id: string; key: string; createdAt: number; deletedAt?: number; input: any }>;
let output: string[];

function properties(overrides: { workspaceId?: string; dashboards?: unknown[] } = {}): Record<string, string> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provision-grafana',
    ...grafanaProvisioningProperties({
      workspaceId: overrides.workspaceId ?? WORKSPACE,
      grafanaUrl: standIn.url,
      folder: { uid: 'mlops-prod', title: 'MLOps (prod)' },
      plugins: [AMAZON_PROMETHEUS_PLUGIN],
      dataSources: grafanaDataSources({
        environment: 'prod',
        prometheusUrl: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1',
        region: 'us-east-1',
      }),
      dashboards: (overrides.dashboards ?? DASHBOARDS) as Array<{ uid: string; title: string }>,
    }),
  };
}

let requestNumber = 0;
function event(
  requestType: 'Create' | 'Update' | 'Delete',
  resourceProperties: Record<string, string>,
  extra: Record<string, unknown> = {},
): CloudFormationCustomResourceEvent {
  requestNumber++;
  return {
    RequestType: requestType,
    ServiceToken: resourceProperties.ServiceToken,
    ResponseURL: `${standIn.url}/cfn-response/${requestNumber}`,
    StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/mlops-prod-operations/guid',
    RequestId: `request-${requestNumber}`,
    LogicalResourceId: 'GrafanaProvisioning',
    ResourceType: 'Custom::GrafanaProvisioning',
    ResourceProperties: resourceProperties,
    ...extra,
  } as CloudFormationCustomResourceEvent;
}

const physicalId = `${WORKSPACE}/${SERVICE_ACCOUNT_ID}`;
const lastResponse = () => standIn.cfnResponses.at(-1);
const grafanaCalls = (method?: string) => standIn.requests.filter((r) => method === undefined || r.method === method).map((r) => `${r.method} ${r.path}`);

beforeEach(async () => {
  standIn = new GrafanaStandIn();
  await standIn.start();
  issued = [];
  output = [];
  grafanaMock.reset();
  grafanaMock
    .on(CreateWorkspaceServiceAccountCommand)
    .callsFake((input) => ({ id: SERVICE_ACCOUNT_ID, name: input.name, grafanaRole: input.grafanaRole, workspaceId: input.workspaceId }));
  grafanaMock.on(CreateWorkspaceServiceAccountTokenCommand).callsFake((input) => {
    const token = { id: `${issued.length + 1}`, key: `glsa_${randomBytes(24).toString('hex')}`, createdAt: performance.now(), input };
    issued.push(token);
    standIn.validTokens.add(token.key);
    return {
      serviceAccountToken: { id: token.id, name: input.name, key: token.key },
      serviceAccountId: input.serviceAccountId,
      workspaceId: input.workspaceId,
    };
  });
  grafanaMock.on(DeleteWorkspaceServiceAccountTokenCommand).callsFake((input) => {
    const token = issued.find((t) => t.id === input.tokenId)!;
    token.deletedAt = performance.now();
    standIn.validTokens.delete(token.key);
    return { tokenId: input.tokenId, serviceAccountId: input.serviceAccountId, workspaceId: input.workspaceId };
  });
  grafanaMock.on(DeleteWorkspaceServiceAccountCommand).callsFake((input) => ({ serviceAccountId: input.serviceAccountId, workspaceId: input.workspaceId }));
  // Everything the function writes (Powertools writes JSON lines to stdout/stderr).
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }
});

afterEach(async () => {
  jest.restoreAllMocks();
  await standIn.stop();
  // Whatever happened: every token issued was deleted, after the last Grafana call made with it, and never written anywhere.
  for (const token of issued) {
    const usedAt = standIn.requests.filter((r) => r.authorization === `Bearer ${token.key}`).map((r) => r.at);
    expect(token.deletedAt).toBeGreaterThan(Math.max(token.createdAt, ...usedAt));
    expect(output.join('')).not.toContain(token.key);
    expect(JSON.stringify(standIn.cfnResponses)).not.toContain(token.key);
  }
  expect(standIn.validTokens.size).toBe(0);
});

describe('Create', () => {
  test('makes the service account and a token of at most 5 minutes in the documented shapes', async () => {
    await handler(event('Create', properties()), context);
    expect(grafanaMock.commandCalls(CreateWorkspaceServiceAccountCommand).map((c) => c.args[0].input)).toEqual([
      { workspaceId: WORKSPACE, name: GRAFANA_SERVICE_ACCOUNT.name, grafanaRole: 'ADMIN' },
    ]);
    const tokenRequests = grafanaMock.commandCalls(CreateWorkspaceServiceAccountTokenCommand).map((c) => c.args[0].input);
    expect(tokenRequests).toEqual([
      {
        workspaceId: WORKSPACE,
        serviceAccountId: SERVICE_ACCOUNT_ID,
        name: expect.stringMatching(/^provisioning-\d+$/),
        secondsToLive: GRAFANA_TOKEN_TTL_SECONDS,
      },
    ]);
    expect(GRAFANA_TOKEN_TTL_SECONDS).toBeLessThanOrEqual(300);
    expect(grafanaMock.commandCalls(DeleteWorkspaceServiceAccountTokenCommand).map((c) => c.args[0].input)).toEqual([
      { workspaceId: WORKSPACE, serviceAccountId: SERVICE_ACCOUNT_ID, tokenId: issued[0].id },
    ]);
    expect(lastResponse()).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: physicalId,
      RequestId: `request-${requestNumber}`,
      LogicalResourceId: 'GrafanaProvisioning',
    });
    expect(lastResponse().Data).toEqual({ ServiceAccountId: SERVICE_ACCOUNT_ID, DashboardUids: DASHBOARDS.map((d) => d.uid).join(',') });
  });

  test('installs the AMP plugin, then the folder, the data sources and every dashboard, each call with the bearer token', async () => {
    await handler(event('Create', properties()), context);
    expect(grafanaCalls('POST')).toEqual([
      `POST /api/plugins/${AMAZON_PROMETHEUS_PLUGIN.id}/install`,
      'POST /api/folders',
      'POST /api/datasources',
      'POST /api/datasources',
      ...DASHBOARDS.map(() => 'POST /api/dashboards/db'),
    ]);
    for (const request of standIn.requests) expect(request.authorization).toBe(`Bearer ${issued[0].key}`);
    expect(standIn.plugins.get(AMAZON_PROMETHEUS_PLUGIN.id)).toBe('1.0.5');
    expect(standIn.dataSources.get('mlops-amp')).toMatchObject({
      type: 'grafana-amazonprometheus-datasource',
      access: 'proxy',
      url: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1',
      jsonData: { httpMethod: 'POST', sigV4Auth: true, sigV4AuthType: 'ec2_iam_role', sigV4Region: 'us-east-1' },
    });
    expect(standIn.dataSources.get('mlops-cloudwatch')).toMatchObject({
      type: 'cloudwatch',
      access: 'proxy',
      jsonData: { authType: 'ec2_iam_role', defaultRegion: 'us-east-1' },
    });
    const saves = standIn.requests.filter((r) => r.path === '/api/dashboards/db');
    for (const [index, save] of saves.entries()) {
      expect(save.body).toMatchObject({ folderUid: 'mlops-prod', overwrite: true, message: expect.any(String) });
      expect(save.body.dashboard).toEqual({ ...DASHBOARDS[index], id: null });
    }
    expect([...standIn.dashboards.keys()]).toEqual(['mlops-prod-serving', 'mlops-prod-data', 'mlops-prod-drift', 'mlops-prod-training']);
  });

  test('a retried Create finds the service account it made before (ConflictException) instead of failing', async () => {
    grafanaMock
      .on(CreateWorkspaceServiceAccountCommand)
      .rejects(new ConflictException({ message: 'exists', $metadata: {}, resourceId: 'x', resourceType: 'y' }));
    grafanaMock.on(ListWorkspaceServiceAccountsCommand).resolves({
      workspaceId: WORKSPACE,
      serviceAccounts: [
        { id: '7', name: 'someone-else', isDisabled: 'false', grafanaRole: 'VIEWER' },
        { id: SERVICE_ACCOUNT_ID, name: GRAFANA_SERVICE_ACCOUNT.name, isDisabled: 'false', grafanaRole: 'ADMIN' },
      ],
    });
    await handler(event('Create', properties()), context);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });

  test('properties that are not what the construct writes fail with the property named, before any call', async () => {
    await handler(event('Create', { ...properties(), WorkspaceId: 'not-a-workspace' }), context);
    expect(lastResponse()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `failed-request-${requestNumber}` });
    expect(lastResponse().Reason).toMatch(/WorkspaceId.*an Amazon Managed Grafana workspace id/);
    expect(grafanaMock.calls()).toHaveLength(0);
  });
});

describe('Update', () => {
  beforeEach(async () => {
    await handler(event('Create', properties()), context);
    standIn.requests.length = 0;
  });

  test('overwrites data sources (PUT by uid) and dashboards (overwrite: true) with the same service account', async () => {
    const before = standIn.dashboards.get('mlops-prod-serving')!.version;
    await handler(event('Update', properties(), { PhysicalResourceId: physicalId, OldResourceProperties: properties() }), context);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expect(grafanaMock.commandCalls(CreateWorkspaceServiceAccountCommand)).toHaveLength(1);
    expect(grafanaCalls('PUT')).toEqual(['PUT /api/datasources/uid/mlops-amp', 'PUT /api/datasources/uid/mlops-cloudwatch']);
    expect(grafanaCalls('POST')).toEqual(DASHBOARDS.map(() => 'POST /api/dashboards/db'));
    expect(standIn.dashboards.get('mlops-prod-serving')!.version).toBe(before + 1);
  });

  test('deletes a dashboard the new properties no longer generate', async () => {
    const fewer = DASHBOARDS.filter((d) => d.uid !== 'mlops-prod-drift');
    await handler(event('Update', properties({ dashboards: fewer }), { PhysicalResourceId: physicalId, OldResourceProperties: properties() }), context);
    expect(grafanaCalls('DELETE')).toEqual(['DELETE /api/dashboards/uid/mlops-prod-drift']);
    expect(standIn.dashboards.has('mlops-prod-drift')).toBe(false);
  });

  test('a new workspace is a new resource: a service account there and a new physical id', async () => {
    await handler(
      event('Update', properties({ workspaceId: OTHER_WORKSPACE }), { PhysicalResourceId: physicalId, OldResourceProperties: properties() }),
      context,
    );
    expect(grafanaMock.commandCalls(CreateWorkspaceServiceAccountCommand).at(-1)!.args[0].input.workspaceId).toBe(OTHER_WORKSPACE);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${OTHER_WORKSPACE}/${SERVICE_ACCOUNT_ID}` });
  });
});

describe('Delete', () => {
  test('removes the dashboards, data sources and folder, then the token and the service account', async () => {
    await handler(event('Create', properties()), context);
    await handler(event('Delete', properties(), { PhysicalResourceId: physicalId }), context);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    expect([standIn.dashboards.size, standIn.dataSources.size, standIn.folders.size]).toEqual([0, 0, 0]);
    expect(grafanaMock.commandCalls(DeleteWorkspaceServiceAccountCommand).map((c) => c.args[0].input)).toEqual([
      { workspaceId: WORKSPACE, serviceAccountId: SERVICE_ACCOUNT_ID },
    ]);
  });

  test('a workspace already deleted counts as done', async () => {
    grafanaMock
      .on(CreateWorkspaceServiceAccountTokenCommand)
      .rejects(new ResourceNotFoundException({ message: 'no workspace', $metadata: {}, resourceId: WORKSPACE, resourceType: 'WORKSPACE' }));
    await handler(event('Delete', properties(), { PhysicalResourceId: physicalId }), context);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
  });

  test('the Delete after a failed Create touches nothing', async () => {
    await handler(event('Delete', properties(), { PhysicalResourceId: 'failed-request-1' }), context);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-request-1' });
    expect(grafanaMock.calls()).toHaveLength(0);
  });
});

describe('failures', () => {
  test('a Grafana error fails the resource with the call named, and the token is still deleted (checked after each test)', async () => {
    standIn.failWith = (method, path) => (method === 'POST' && path === '/api/dashboards/db' ? 500 : undefined);
    await handler(event('Create', properties()), context);
    expect(lastResponse()).toMatchObject({ Status: 'FAILED' });
    expect(lastResponse().Reason).toBe('Grafana POST /api/dashboards/db answered 500: injected failure');
    expect(grafanaMock.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
  });

  test('a Grafana that rejects the token (401) fails the resource, and the token is deleted', async () => {
    grafanaMock.on(CreateWorkspaceServiceAccountTokenCommand).callsFake((input) => {
      const token = { id: '1', key: `glsa_${randomBytes(24).toString('hex')}`, createdAt: performance.now(), input };
      issued.push(token); // issued but never accepted by the stand-in
      return {
        serviceAccountToken: { id: token.id, name: input.name, key: token.key },
        serviceAccountId: input.serviceAccountId,
        workspaceId: input.workspaceId,
      };
    });
    await handler(event('Create', properties()), context);
    expect(lastResponse().Reason).toMatch(/answered 401: invalid API key/);
    expect(issued[0].deletedAt).toBeDefined();
  });

  test('a failure to delete the token is logged without the token and does not undo a successful provisioning', async () => {
    grafanaMock.on(DeleteWorkspaceServiceAccountTokenCommand).callsFake((input) => {
      const token = issued.find((t) => t.id === input.tokenId)!;
      token.deletedAt = performance.now(); // it expires within GRAFANA_TOKEN_TTL_SECONDS
      standIn.validTokens.delete(token.key);
      throw new Error(`throttled while deleting ${token.key}`);
    });
    await handler(event('Create', properties()), context);
    expect(lastResponse()).toMatchObject({ Status: 'SUCCESS' });
    expect(output.join('')).toContain('Could not delete the provisioning token; it expires by itself');
    expect(output.join('')).toContain('[redacted]');
  });

  test('the logs were captured (so "never in the logs" above can fail)', async () => {
    await handler(event('Create', properties()), context);
    expect(output.join('')).toContain('Created a provisioning token');
  });
});
