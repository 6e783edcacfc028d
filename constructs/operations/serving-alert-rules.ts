import { SERVING_LABELS, SERVING_PROMETHEUS_METRICS as M } from '../../serving/src/metric-names';
import type { PrometheusAlertRule } from './metrics-workspace-props';

/** A model whose metrics reach the workspace (Fargate or EKS), with its latency objective. */
export interface PrometheusServedModel {
  readonly modelName: string;
  readonly target: 'fargate' | 'eks';
  /** The model's p99 latency objective in milliseconds. */
  readonly p99LatencyMs: number;
}

export interface ServingAlertOptions {
  /**
   * Share of requests (percent) answered with a 5XX above which an EKS model's error-rate rule fires.
   * @default 1
   */
  readonly errorRateThresholdPercent?: number;
}

const WINDOW = '5m';

/**
 * The workspace's serving rules. EKS models: error rate and p99 latency against the model's SLO (Fargate has
 * CloudWatch alarms on its load balancer for those, which also roll back deployments). Every model in the workspace:
 * a model version that failed to load (the previous version keeps serving, so nothing else shows it).
 */
export function servingAlertRules(models: readonly PrometheusServedModel[], options: ServingAlertOptions = {}): PrometheusAlertRule[] {
  const threshold = (options.errorRateThresholdPercent ?? 1) / 100;
  return models.flatMap(({ modelName, target, p99LatencyMs }) => {
    const model = `${SERVING_LABELS.model}="${modelName}"`;
    const labels = { model: modelName, serving_target: target, severity: 'page' };
    const loadFailure: PrometheusAlertRule = {
      alert: 'ServingModelLoadFailed',
      expr: `sum(increase(${M.modelLoadFailures}{${model}}[10m])) > 0`,
      for: '1m',
      labels,
      annotations: { summary: `${modelName}: a model version failed to load; the previous version keeps serving`, description: 'Read the serving logs for the load error.' },
    };
    if (target !== 'eks') return [loadFailure];
    const requests = (selector: string) => `sum(rate(${M.requests}{${selector}}[${WINDOW}]))`;
    return [
      {
        alert: 'ServingErrorRateHigh',
        expr: `${requests(`${model},${SERVING_LABELS.status}=~"5.."`)} / clamp_min(${requests(model)}, 1e-9) > ${threshold}`,
        for: WINDOW,
        labels,
        annotations: { summary: `${modelName}: more than ${threshold * 100}% of requests answered with a 5XX for ${WINDOW}` },
      },
      {
        alert: 'ServingLatencyAboveSlo',
        expr: `histogram_quantile(0.99, sum by (le) (rate(${M.requestDuration}_bucket{${model}}[${WINDOW}]))) > ${p99LatencyMs / 1000}`,
        for: WINDOW,
        labels,
        annotations: { summary: `${modelName}: p99 latency above its ${p99LatencyMs} ms objective for ${WINDOW}` },
      },
      loadFailure,
    ];
  });
}
