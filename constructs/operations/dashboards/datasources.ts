import type { GrafanaDataSource, GrafanaPlugin } from '../../../lib/monitoring/grafana-provisioning';

/** The data sources every generated dashboard names, with the explicit uids the provisioning creates them under. */
export const PROMETHEUS_DATASOURCE = { type: 'grafana-amazonprometheus-datasource', uid: 'mlops-amp' } as const;
export const CLOUDWATCH_DATASOURCE = { type: 'cloudwatch', uid: 'mlops-cloudwatch' } as const;

/**
 * The Amazon Managed Service for Prometheus plugin at the last version that runs on Grafana 10.4 (GRAFANA_VERSION;
 * 2.x needs Grafana 11.5+, per the plugin's compatibility note). Grafana 10.4 does not bundle it.
 */
export const AMAZON_PROMETHEUS_PLUGIN: GrafanaPlugin = { id: PROMETHEUS_DATASOURCE.type, version: '1.0.5' };

/** Grafana's built-in interval variable: at least 4 scrape intervals, so a rate() always spans two samples. */
export const RATE_INTERVAL = '$__rate_interval';
/** Name of the serving dashboard's model variable (`$model` in queries). */
export const MODEL_VARIABLE = 'model';

export interface DataSourceTargets {
  readonly environment: string;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>` (no trailing slash: the plugin appends /api/v1/...). */
  readonly prometheusUrl: string;
  readonly region: string;
}

/**
 * The two data sources as Grafana's HTTP API takes them, both signing with the workspace's IAM role
 * (`ec2_iam_role`: Amazon Managed Grafana's "workspace IAM role" provider), so no key is stored in Grafana.
 */
export function grafanaDataSources(targets: DataSourceTargets): GrafanaDataSource[] {
  return [
    {
      ...PROMETHEUS_DATASOURCE,
      name: `Amazon Managed Prometheus (${targets.environment})`,
      access: 'proxy',
      url: targets.prometheusUrl,
      isDefault: true,
      jsonData: { httpMethod: 'POST', sigV4Auth: true, sigV4AuthType: 'ec2_iam_role', sigV4Region: targets.region },
    },
    {
      ...CLOUDWATCH_DATASOURCE,
      name: `CloudWatch (${targets.environment})`,
      access: 'proxy',
      jsonData: { authType: 'ec2_iam_role', defaultRegion: targets.region },
    },
  ];
}
