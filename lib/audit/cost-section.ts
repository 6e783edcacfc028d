import { HOURS_PER_MONTH } from '../decision/assumptions';
import { PRICES, type PriceId } from '../decision/pricing';
import type { RecordedDecisionAt } from './decisions-section';
import type { Cost, CostLineRow } from './report-schema';
import { listOf, prop, type TemplateIndex } from './template-index';
import type { AuditedConfig } from './types';

const DECISION_SOURCE = 'serving decision recorded in the template (decision matrix, lib/decision/pricing.ts)';

function priced(item: string, count: number, unit: string, priceId: PriceId, hoursPerUnit = 1): CostLineRow {
  const price = PRICES[priceId];
  return {
    item,
    count,
    unit,
    monthlyUsd: round(count * hoursPerUnit * price.usd),
    source: `${price.source} (${price.unit}, checked ${price.checked})`,
    note: price.note ?? null,
  };
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/**
 * The environment's monthly estimate from the same pricing table as the decision matrix: serving exactly as the
 * recorded decisions price it, then what the templates create beside serving that the decisions do not carry.
 * Usage-priced services are listed with no figure rather than guessed.
 */
export function costSection(index: TemplateIndex, decisions: readonly RecordedDecisionAt[], config: AuditedConfig): Cost {
  const lines: CostLineRow[] = decisions.map(({ row }) => ({
    item: `serving: ${row.model} on ${row.target}`,
    count: 1,
    unit: 'model',
    monthlyUsd: row.monthlyCostUsd[row.target] ?? null,
    source: DECISION_SOURCE,
    note: null,
  }));

  // Decisions carry their own ALB (Fargate; the first EKS model of a new cluster) and that cluster's control plane.
  const carriesCluster = decisions.filter((d) => d.row.target === 'eks' && d.sizing?.clusterMode === 'new-cluster').length;
  const carriesAlb = decisions.filter((d) => d.row.target === 'fargate').length + carriesCluster;
  const clusters = index.ofType('AWS::EKS::Cluster').length - carriesCluster;
  if (clusters > 0) lines.push(priced('EKS control plane not carried by a serving decision', clusters, 'cluster', 'eksClusterHour', HOURS_PER_MONTH));
  const albs = index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').length - carriesAlb;
  if (albs > 0) lines.push(priced('Application Load Balancers not carried by a serving decision (hours only)', albs, 'ALB', 'albHour', HOURS_PER_MONTH));

  const nat = index.ofType('AWS::EC2::NatGateway').length;
  if (nat > 0) lines.push(priced('NAT gateways (hours; data processed is usage-priced)', nat, 'gateway', 'natGatewayHour', HOURS_PER_MONTH));
  const endpointAzs = index
    .ofType('AWS::EC2::VPCEndpoint')
    .filter((e) => prop(e.resource, 'VpcEndpointType') === 'Interface')
    .reduce((n, e) => n + Math.max(1, listOf(prop(e.resource, 'SubnetIds')).length), 0);
  if (endpointAzs > 0)
    lines.push(priced('interface VPC endpoints (per endpoint per zone)', endpointAzs, 'endpoint-AZ', 'interfaceEndpointHour', HOURS_PER_MONTH));
  const keys = index.ofType('AWS::KMS::Key').length;
  if (keys > 0) lines.push(priced('KMS customer-managed keys', keys, 'key', 'kmsKeyMonth'));
  const alarms = index.ofType('AWS::CloudWatch::Alarm').length;
  if (alarms > 0) lines.push(priced('CloudWatch alarms', alarms, 'alarm', 'cloudWatchAlarmMonth'));

  const usage = (type: string, item: string, source: string) => {
    const count = index.ofType(type).length;
    if (count > 0) lines.push({ item, count, unit: 'workspace', monthlyUsd: null, source, note: 'usage-priced: no fixed monthly fee' });
  };
  usage('AWS::APS::Workspace', 'Amazon Managed Service for Prometheus (samples ingested, stored, queried)', 'https://aws.amazon.com/prometheus/pricing/');
  const grafanaWorkspaces = index.ofType('AWS::Grafana::Workspace').length;
  if (grafanaWorkspaces > 0 && config.grafanaUsers) {
    const { editors, viewers } = config.grafanaUsers;
    const users = (line: CostLineRow) => ({ ...line, note: 'active users a month expected by the config (monitoring.grafana.expectedUsers)' });
    lines.push(users(priced('Amazon Managed Grafana editors and admins', editors * grafanaWorkspaces, 'user', 'grafanaEditorMonth')));
    lines.push(users(priced('Amazon Managed Grafana viewers', viewers * grafanaWorkspaces, 'user', 'grafanaViewerMonth')));
  } else {
    usage('AWS::Grafana::Workspace', 'Amazon Managed Grafana (per active editor and viewer user)', 'https://aws.amazon.com/grafana/pricing/');
  }
  for (const budget of config.budgets)
    lines.push({
      item: budget.item,
      count: 1,
      unit: 'budget',
      monthlyUsd: budget.monthlyUsd,
      source: budget.source,
      note: 'a cap from the config, not a forecast',
    });

  const monthlyTotalUsd = round(lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0));
  return { lines, monthlyTotalUsd };
}
