import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import {
  auditReportJsonSchema,
  auditReportSchema,
  buildAuditReport,
  renderAuditMarkdown,
  renderAuditSummary,
  renderCfnValue,
  SERVING_DECISION_METADATA_KEY,
} from '../../../../lib/audit';
import { loadEnvironment } from '../../../../lib/config';
import { decideEnvironment, PRICES } from '../../../../lib/decision';
import { servingDecisionMetadata } from '../../../../constructs/serving/decision-metadata';
import { SERVING_ARCHITECTURE } from '../../../../stacks/serving-stack';
import { cdkContext } from '../../../support/cdk-context';
import { input, stack } from './fixtures';

const prodConfig = loadEnvironment(cdkContext().environments, 'prod').config;
const prodDecisions = decideEnvironment(prodConfig, { architecture: SERVING_ARCHITECTURE });

/** A serving stack that records each prod decision the way ModelServing does, plus what the platform creates beside it. */
function servingStack(withCluster: boolean) {
  const resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> = {};
  for (const { modelName, decision } of prodDecisions.models) {
    resources[`${modelName.replace(/-/g, '')}Service`] = {
      Type: 'AWS::ECS::Service',
      Metadata: { [SERVING_DECISION_METADATA_KEY]: servingDecisionMetadata(modelName, decision) },
    };
  }
  if (withCluster)
    resources.Cluster = { Type: 'AWS::EKS::Cluster', Properties: { ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true } } };
  resources.Nat1 = { Type: 'AWS::EC2::NatGateway' };
  resources.Nat2 = { Type: 'AWS::EC2::NatGateway' };
  resources.Key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
  resources.Alarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      MetricName: 'Errors',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 5,
      AlarmActions: ['arn:topic'],
      AlarmDescription: 'Ingest failures',
    },
  };
  resources.Workspace = { Type: 'AWS::APS::Workspace' };
  return stack('serving', resources);
}

const kubernetes = {
  stackName: 'mlops-test-serving-k8s',
  document: {
    resource: {
      kubernetes_namespace_v1: {
        Ns: { metadata: { name: 'serving-a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
        Bare: { metadata: { name: 'training' } },
      },
      kubernetes_network_policy_v1: {
        Np: { metadata: { name: 'p', namespace: '${kubernetes_namespace_v1.Ns.metadata[0].name}' }, spec: { policy_types: ['Ingress', 'Egress'] } },
      },
      kubernetes_deployment_v1: {
        Hardened: {
          spec: {
            template: {
              spec: {
                security_context: { run_as_non_root: true },
                container: [{ name: 'server', security_context: { read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } } }],
              },
            },
          },
        },
      },
      kubernetes_daemon_set_v1: {
        Plugin: { spec: { template: { spec: { container: [{ name: 'plugin', security_context: { read_only_root_filesystem: true } }] } } } },
      },
    },
  },
};

describe('decisions and cost', () => {
  const report = buildAuditReport(input([servingStack(true)]));

  test('decisions are read back from the template metadata, with flip points', () => {
    expect(report.decisions.map((d) => [d.model, d.target])).toEqual(prodDecisions.models.map((m) => [m.modelName, m.decision.target]));
    expect(report.decisions.every((d) => Array.isArray(d.flipPoints))).toBe(true);
  });

  test("the cost section's serving lines equal the decision matrix's figures", () => {
    const serving = report.cost.lines.filter((l) => l.item.startsWith('serving: '));
    expect(serving.map((l) => l.monthlyUsd)).toEqual(prodDecisions.models.map((m) => m.decision.costs[m.decision.target]));
  });

  test('NAT gateways, keys and alarms are priced from the pricing table; usage-priced services are listed without a figure', () => {
    const line = (prefix: string) => report.cost.lines.find((l) => l.item.startsWith(prefix));
    expect(line('NAT gateways')).toEqual(expect.objectContaining({ count: 2, monthlyUsd: Math.round(2 * 730 * PRICES.natGatewayHour.usd * 100) / 100 }));
    expect(line('KMS customer-managed keys')).toEqual(expect.objectContaining({ count: 1, monthlyUsd: PRICES.kmsKeyMonth.usd }));
    expect(line('CloudWatch alarms')).toEqual(expect.objectContaining({ count: 1, monthlyUsd: PRICES.cloudWatchAlarmMonth.usd }));
    expect(line('Amazon Managed Service for Prometheus')).toEqual(expect.objectContaining({ monthlyUsd: null }));
    expect(report.cost.monthlyTotalUsd).toBeCloseTo(
      report.cost.lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0),
      2,
    );
  });

  test('a cluster whose control plane a decision already carries is not priced twice', () => {
    const carried = prodDecisions.models.some(
      (m) => m.decision.target === 'eks' && (m.decision.options.eks?.sizing as { clusterMode?: string }).clusterMode === 'new-cluster',
    );
    expect(report.cost.lines.some((l) => l.item.startsWith('EKS control plane'))).toBe(!carried);
  });

  test('budgets from the config are listed as caps', () => {
    const withBudget = buildAuditReport(
      input([servingStack(false)], {
        config: { budgets: [{ item: 'training (SageMaker) budget', monthlyUsd: 500, source: 'cdk.json training.monthlyBudgetUsd' }] },
      }),
    );
    expect(withBudget.cost.lines.at(-1)).toEqual(expect.objectContaining({ monthlyUsd: 500, note: 'a cap from the config, not a forecast' }));
  });

  test('a Grafana workspace is priced per expected user when the config says how many, else listed as usage-priced', () => {
    const grafana = stack('operations', { Workspace: { Type: 'AWS::Grafana::Workspace', Properties: {} } });
    const priced = buildAuditReport(input([grafana], { config: { budgets: [], grafanaUsers: { editors: 2, viewers: 3 } } })).cost.lines;
    expect(priced.filter((l) => l.item.includes('Grafana')).map((l) => [l.count, l.monthlyUsd])).toEqual([
      [2, 2 * PRICES.grafanaEditorMonth.usd],
      [3, 3 * PRICES.grafanaViewerMonth.usd],
    ]);
    const unpriced = buildAuditReport(input([grafana])).cost.lines.filter((l) => l.item.includes('Grafana'));
    expect(unpriced).toEqual([expect.objectContaining({ monthlyUsd: null, note: 'usage-priced: no fixed monthly fee' })]);
  });
});

describe('kubernetes', () => {
  const { kubernetes: inventory, summary } = buildAuditReport(input([], { kubernetes }));

  test('namespaces with their pod-security level; network policies resolve their namespace reference', () => {
    expect(inventory!.namespaces.map((n) => [n.name, n.podSecurity])).toEqual([
      ['serving-a', 'restricted'],
      ['training', null],
    ]);
    expect(inventory!.networkPolicies.map((p) => [p.namespace, p.policyTypes])).toEqual([['serving-a', 'Ingress, Egress']]);
  });

  test('every container with its hardening; pod-level non-root counts; the unhardened one is counted', () => {
    expect(inventory!.containers.map((c) => [c.kind, c.container, c.nonRoot, c.readOnlyRootFilesystem, c.dropsAllCapabilities])).toEqual([
      ['deployment', 'server', true, true, true],
      ['daemon_set', 'plugin', false, true, false],
    ]);
    expect(summary.containersNotHardened).toBe(1);
  });
});

describe('the report as JSON, Markdown and summary', () => {
  const report = buildAuditReport(input([servingStack(true)], { kubernetes, gates: [{ plugin: 'AwsSolutions', unacknowledgedFindings: 2 }] }));

  test('the JSON validates against the published JSON Schema and the zod schema', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(auditReportJsonSchema());
    const json = JSON.parse(JSON.stringify(report));
    const valid = validate(json);
    expect(validate.errors).toBeNull();
    expect(valid).toBe(true);
    expect(auditReportSchema.parse(json)).toEqual(report);
    expect(validate({ ...json, summary: { ...json.summary, unjustifiedWildcards: -1 } })).toBe(false);
  });

  test('Markdown and the summary carry the same counts as the JSON', () => {
    const markdown = renderAuditMarkdown(report);
    const summary = renderAuditSummary(report);
    expect(markdown).toContain(`| policy gates | FAIL (${report.summary.unacknowledgedFindings} unacknowledged) |`);
    expect(summary).toContain(`test: FAIL`);
    for (const line of summary.split('\n').slice(1)) {
      const [key, value] = line.trim().split(': ');
      expect(markdown).toContain(`| ${key} | ${value} |`);
    }
    expect(markdown).toContain('## 7. Kubernetes');
  });

  test('is deterministic for the same input', () => {
    expect(buildAuditReport(input([servingStack(true)], { kubernetes }))).toEqual(buildAuditReport(input([servingStack(true)], { kubernetes })));
  });
});

describe('comparison between environments', () => {
  const dev = input([stack('data', { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'mlops-test-data' } } })]);
  const prod = {
    ...input([
      stack('data', {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'mlops-test-data', VersioningConfiguration: { Status: 'Enabled' } } },
        Cluster: { Type: 'AWS::EKS::Cluster' },
      }),
    ]),
  };

  test('is keyed on stack part and logical ID and lists what is only on one side and which properties changed', () => {
    const comparison = buildAuditReport(prod, { ...dev, environmentName: 'test' }).comparison!;
    expect(comparison.onlyHere).toEqual([{ stackPart: 'data', logicalId: 'Cluster', type: 'AWS::EKS::Cluster' }]);
    expect(comparison.onlyInOther).toEqual([]);
    expect(comparison.changed).toEqual([{ stackPart: 'data', logicalId: 'Bucket', type: 'AWS::S3::Bucket', properties: ['VersioningConfiguration'] }]);
  });
});

describe('renderCfnValue', () => {
  const cfnValue = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string(),
      fc.record({ Ref: fc.string({ minLength: 1 }) }),
      fc.record({ 'Fn::GetAtt': fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })) }),
      fc.record({ 'Fn::ImportValue': fc.string({ minLength: 1 }) }),
      fc.record({ 'Fn::Join': fc.tuple(fc.string(), fc.array(tie('value'), { maxLength: 4 })) }),
    ),
  })).value;

  test('renders every value exactly as cdk-nag renders the resources of its findings', () => {
    fc.assert(fc.property(cfnValue, (value) => renderCfnValue(value) === flattenCfnReference(value)));
  });
});
