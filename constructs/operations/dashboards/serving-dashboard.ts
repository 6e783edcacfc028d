import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { SERVING_LABELS as L, SERVING_PROMETHEUS_METRICS as M } from '../../../serving/src/metric-names';
import { LambdaServing } from '../../serving/lambda-serving';
import type { DashboardInput } from './dashboard-input';
import { MODEL_VARIABLE, RATE_INTERVAL } from './datasources';
import { cloudWatchPanel, type CloudWatchQuery, metricQuery, prometheusPanel } from './panels';

/** Alias of a Lambda-served model that takes live traffic (LambdaServing's `live`). */
const LIVE_ALIAS = 'live';

type ServedModel = DashboardInput['models'][number];

/**
 * Serving, per model: Fargate and EKS models from Prometheus (the `model` variable picks one), Lambda models from
 * CloudWatch (their live alias in AWS/Lambda and the adapter's EMF figures), each against its p99 SLO.
 */
export function servingDashboard(input: DashboardInput): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(`Model serving (${input.environment})`)
    .uid(`mlops-${input.environment}-serving`)
    .tags(['mlops', input.environment, 'serving'])
    .refresh('1m')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('utc');
  const prometheusModels = input.models.filter((model) => model.target !== 'lambda');
  if (prometheusModels.length > 0) {
    builder.withVariable(
      new dashboard.CustomVariableBuilder(MODEL_VARIABLE)
        .label('Model (Fargate / EKS)')
        .values(prometheusModels.map((model) => model.modelName).join(','))
        .current({ text: prometheusModels[0].modelName, value: prometheusModels[0].modelName }),
    );
    builder.withRow(new dashboard.RowBuilder('Fargate and EKS models: $model'));
    for (const panel of prometheusServingPanels(prometheusModels)) builder.withPanel(panel);
  }
  for (const model of input.models.filter((m) => m.target === 'lambda')) {
    builder.withRow(new dashboard.RowBuilder(`Lambda: ${model.modelName}`));
    for (const panel of lambdaServingPanels(model, input.region)) builder.withPanel(panel);
  }
  return builder;
}

function prometheusServingPanels(models: readonly ServedModel[]) {
  const model = `${L.model}="$${MODEL_VARIABLE}"`;
  const rate = (metric: string, selector = model) => `rate(${metric}{${selector}}[${RATE_INTERVAL}])`;
  const quantile = (q: number, histogram: string) => `histogram_quantile(${q}, sum by (le) (${rate(`${histogram}_bucket`)}))`;
  // Each model's SLO as a series labelled with the model, kept only for the selected model while it is loaded.
  const slos = models.map((m) => `label_replace(vector(${m.p99LatencyMs / 1000}), "${L.model}", "${m.modelName}", "", "")`).join(' or ');
  return [
    prometheusPanel({ title: 'Requests per second by status', question: 'How much traffic does the model take, and how much of it succeeds?', unit: 'reqps' }, [
      { expr: `sum by (${L.status}) (${rate(M.requests)})`, legend: '{{status}}' },
    ]),
    prometheusPanel({ title: 'Latency p50 / p99 vs SLO', question: 'Is the model answering within its p99 latency objective?', unit: 's' }, [
      { expr: quantile(0.5, M.requestDuration), legend: 'p50' },
      { expr: quantile(0.99, M.requestDuration), legend: 'p99' },
      { expr: `max by (${L.model}) ((${slos}) and on(${L.model}) ${M.modelVersionInfo}{${model}})`, legend: 'p99 SLO' },
    ]),
    prometheusPanel({ title: 'Errors by status', question: 'Which errors do clients get (4XX: their requests; 5XX: the server)?', unit: 'reqps' }, [
      { expr: `sum by (${L.status}) (${rate(M.requests, `${model},${L.status}!="200"`)})`, legend: '{{status}}' },
    ]),
    prometheusPanel({ title: 'Queue time p99', question: 'How long do requests wait for a batch (tuning max queue delay)?', unit: 's' }, [
      { expr: quantile(0.99, M.queueDuration), legend: 'p99 queue wait' },
    ]),
    prometheusPanel({ title: 'Rows per batch', question: 'How well does dynamic batching fill batches under the current load?', unit: 'short' }, [
      { expr: `sum(${rate(`${M.batchSize}_sum`)}) / sum(${rate(`${M.batchSize}_count`)})`, legend: 'mean rows per batch' },
    ]),
    prometheusPanel({ title: 'In flight and queued', question: 'Is the model saturated (requests piling up)?', unit: 'short' }, [
      { expr: `sum(${M.inflight}{${model}})`, legend: 'in flight' },
      { expr: `sum(${M.queueDepth}{${model}})`, legend: 'queued' },
    ]),
    prometheusPanel(
      { title: 'Loaded version', question: 'Which model version is each replica serving (a rollout in progress shows two)?', unit: 'short', kind: 'stat' },
      [{ expr: `count by (${L.version}) (${M.modelVersionInfo}{${model}})`, legend: 'version {{version}}' }],
    ),
    prometheusPanel(
      { title: 'Model load failures (1 h)', question: 'Did a new model version fail to load (the previous one keeps serving)?', unit: 'short', kind: 'stat' },
      [
        // A counter with a model label exists only after its first failure: no series means none.
        { expr: `sum(increase(${M.modelLoadFailures}{${model}}[1h])) or vector(0)`, legend: 'failures' },
      ],
    ),
  ];
}

function lambdaServingPanels(model: ServedModel, region?: string) {
  const fn = model.lambdaFunctionName ?? model.modelName;
  const alias = { FunctionName: fn, Resource: `${fn}:${LIVE_ALIAS}` };
  const lambdaMetric = (metricName: string, statistic: string, label: string): CloudWatchQuery => ({
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: alias,
    statistic,
    label,
  });
  return [
    cloudWatchPanel(
      {
        title: `${model.modelName}: invocations, errors, throttles`,
        question: 'How much traffic does the live alias take, and does Lambda fail or throttle it?',
        unit: 'short',
      },
      [lambdaMetric('Invocations', 'Sum', 'invocations'), lambdaMetric('Errors', 'Sum', 'errors'), lambdaMetric('Throttles', 'Sum', 'throttles')],
      region,
    ),
    cloudWatchPanel(
      {
        title: `${model.modelName}: duration p50 / p99 (SLO ${model.p99LatencyMs} ms)`,
        question: 'Is the model answering within its p99 latency objective?',
        unit: 'ms',
      },
      [
        lambdaMetric('Duration', 'p50', 'p50'),
        lambdaMetric('Duration', 'p99', 'p99'),
        metricQuery(LambdaServing.metricRequestLatency(model.modelName, { statistic: 'p99' }), 'p99 inference (adapter)'),
      ],
      region,
    ),
    cloudWatchPanel(
      { title: `${model.modelName}: responses by status`, question: 'Which answers do clients get (200, 4XX, 5XX)?', unit: 'short' },
      ['200', '400', '404', '500', '503'].map((status) => metricQuery(LambdaServing.metricRequests(model.modelName, status), status)),
      region,
    ),
    cloudWatchPanel(
      { title: `${model.modelName}: queue time and batch size`, question: 'Does a request wait inside the function before it runs?', unit: 'ms' },
      [
        metricQuery(LambdaServing.metricQueueTime(model.modelName, { statistic: 'p99' }), 'p99 queue time'),
        metricQuery(LambdaServing.metricBatchSize(model.modelName, { statistic: 'Average' }), 'rows per batch'),
      ],
      region,
    ),
    cloudWatchPanel(
      {
        title: `${model.modelName}: concurrency and load failures`,
        question: 'How many environments are busy, and did a model version fail to load?',
        unit: 'short',
      },
      [
        lambdaMetric('ConcurrentExecutions', 'Maximum', 'concurrent executions'),
        metricQuery(LambdaServing.metricModelLoadFailures(model.modelName), 'model load failures'),
      ],
      region,
    ),
  ];
}
