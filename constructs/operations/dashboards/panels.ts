import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type * as cdkCloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CLOUDWATCH_DATASOURCE, PROMETHEUS_DATASOURCE } from './datasources';

export interface PromQuery {
  readonly expr: string;
  readonly legend: string;
}

export interface CloudWatchQuery {
  readonly namespace: string;
  readonly metricName: string;
  /** Every dimension of the metric (CloudWatch matches dimension sets exactly). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly label: string;
}

/**
 * The query of a metric a construct hands out (`Ingestion.metricRowsIn(dataset)`): its namespace, name, every
 * dimension and its statistic, so the panel shows exactly what the construct's alarms read.
 */
export function metricQuery(metric: cdkCloudwatch.Metric, label: string): CloudWatchQuery {
  const dimensions = Object.fromEntries(Object.entries(metric.dimensions ?? {}).map(([name, value]) => [name, String(value)]));
  return { namespace: metric.namespace, metricName: metric.metricName, dimensions, statistic: metric.statistic, label };
}

export interface PanelText {
  readonly title: string;
  /** The question the panel answers; shown as the panel's description and in the README. */
  readonly question: string;
  readonly unit: string;
  readonly kind?: 'timeseries' | 'stat';
}

const REF_IDS = 'ABCDEFGHIJ';

/** A panel of PromQL queries on the environment's AMP workspace. */
export function prometheusPanel(text: PanelText, queries: readonly PromQuery[]): cog.Builder<dashboard.Panel> {
  const panel = base(text).datasource(PROMETHEUS_DATASOURCE);
  queries.forEach((query, index) =>
    panel.withTarget(new prometheus.DataqueryBuilder().expr(query.expr).legendFormat(query.legend).refId(REF_IDS[index]).datasource(PROMETHEUS_DATASOURCE)),
  );
  return panel;
}

/** A panel of CloudWatch metric queries (exact dimension sets, so a missing `service` dimension shows nothing). */
export function cloudWatchPanel(
  text: PanelText,
  queries: readonly CloudWatchQuery[],
  region?: string,
  expressions: readonly cloudwatch.CloudWatchMetricsQuery[] = [],
): cog.Builder<dashboard.Panel> {
  const panel = base(text).datasource(CLOUDWATCH_DATASOURCE);
  queries.forEach((query, index) => {
    const target = new cloudwatch.CloudWatchMetricsQueryBuilder()
      .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
      .metricQueryType(cloudwatch.MetricQueryType.Search)
      .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
      .namespace(query.namespace)
      .metricName(query.metricName)
      .dimensions({ ...query.dimensions })
      .matchExact(true)
      .statistic(query.statistic)
      .label(query.label)
      .period('')
      .region(region ?? 'default')
      .refId(REF_IDS[index])
      .datasource(CLOUDWATCH_DATASOURCE);
    panel.withTarget(target);
  });
  for (const expression of expressions) panel.withTarget({ build: () => expression });
  return panel;
}

function base(text: PanelText) {
  const builder = text.kind === 'stat' ? new stat.PanelBuilder() : new timeseries.PanelBuilder();
  return builder.title(text.title).description(text.question).unit(text.unit).height(8).span(8);
}

/** A CloudWatch metric-math or SEARCH expression target (the CloudWatch data source's "Code" mode). */
export function cloudWatchExpression(refId: string, expression: string, label: string): cloudwatch.CloudWatchMetricsQuery {
  return {
    ...cloudwatch.defaultCloudWatchMetricsQuery(),
    refId,
    datasource: { ...CLOUDWATCH_DATASOURCE },
    queryMode: cloudwatch.CloudWatchQueryMode.Metrics,
    metricQueryType: cloudwatch.MetricQueryType.Search,
    metricEditorMode: cloudwatch.MetricEditorMode.Code,
    expression,
    label,
  };
}
