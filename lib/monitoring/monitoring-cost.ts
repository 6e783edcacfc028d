import { PRICES } from '../decision/pricing';

/** What drives the monitoring bill of one environment. */
export interface MonitoringUsage {
  /** Active Prometheus series written to the workspace (serving series per replica x replicas). */
  readonly activeSeries: number;
  /** Seconds between two samples of a series (the scrape interval). */
  readonly scrapeIntervalSeconds: number;
  /** AMP managed collectors running all month (one per EKS cluster with served models). */
  readonly collectors: number;
  /** Grafana users who edit or administer (0 when the environment has no Grafana). */
  readonly grafanaEditors: number;
  readonly grafanaViewers: number;
  /** Interface endpoints times the zones each spans (the Grafana workspace's `aps-workspaces` and `aps` endpoints). */
  readonly interfaceEndpointAzs: number;
  /** Customer-managed keys of the monitoring stack (the AMP workspace's, the Grafana provisioning function's). */
  readonly keys: number;
}

export interface MonitoringCostLine {
  readonly item: string;
  readonly quantity: string;
  readonly monthlyUsd: number;
  readonly source: string;
}

const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * The monthly cost of the metrics path and Grafana, line by line from the pricing table (first AMP ingestion tier;
 * storage and queries are left out: a few cents at these volumes). CloudWatch alarms are priced with the audit report.
 */
export function monitoringMonthlyCost(usage: MonitoringUsage): MonitoringCostLine[] {
  const samples = (usage.activeSeries * SECONDS_PER_MONTH) / usage.scrapeIntervalSeconds;
  return [
    {
      item: 'AMP samples ingested',
      quantity: `${(samples / 1e6).toFixed(1)}M samples (${usage.activeSeries} series every ${usage.scrapeIntervalSeconds} s)`,
      monthlyUsd: (samples / 1e7) * PRICES.ampSamplesIngested.usd,
      source: PRICES.ampSamplesIngested.source,
    },
    {
      item: 'AMP managed collector',
      quantity: `${usage.collectors} x ${HOURS_PER_MONTH} h`,
      monthlyUsd: usage.collectors * HOURS_PER_MONTH * PRICES.ampCollectorHour.usd,
      source: PRICES.ampCollectorHour.source,
    },
    {
      item: 'Grafana workspace users',
      quantity: `${usage.grafanaEditors} editors, ${usage.grafanaViewers} viewers`,
      monthlyUsd: usage.grafanaEditors * PRICES.grafanaEditorMonth.usd + usage.grafanaViewers * PRICES.grafanaViewerMonth.usd,
      source: PRICES.grafanaEditorMonth.source,
    },
    {
      item: 'AMP interface endpoints',
      quantity: `${usage.interfaceEndpointAzs} endpoint-AZs x ${HOURS_PER_MONTH} h`,
      monthlyUsd: usage.interfaceEndpointAzs * HOURS_PER_MONTH * PRICES.interfaceEndpointHour.usd,
      source: PRICES.interfaceEndpointHour.source,
    },
    { item: 'KMS keys', quantity: `${usage.keys} keys`, monthlyUsd: usage.keys * PRICES.kmsKeyMonth.usd, source: PRICES.kmsKeyMonth.source },
  ];
}
