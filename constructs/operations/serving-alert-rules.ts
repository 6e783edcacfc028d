import { DEFAULT_ERROR_RATE_THRESHOLD_PERCENT, SERVING_SIGNAL_WINDOW, servingSignals } from '../../lib/monitoring/serving-signals';
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
   * @default DEFAULT_ERROR_RATE_THRESHOLD_PERCENT (1)
   */
  readonly errorRateThresholdPercent?: number;
}

/**
 * The workspace's serving rules. EKS models: error rate and p99 latency against the model's SLO, the signals of
 * lib/monitoring/serving-signals.ts that the EKS rollout also checks (Fargate has CloudWatch alarms on its load
 * balancer for those, which also roll back deployments). Every model in the workspace: a model version that failed to
 * load (the previous version keeps serving, so nothing else shows it).
 */
export function servingAlertRules(models: readonly PrometheusServedModel[], options: ServingAlertOptions = {}): PrometheusAlertRule[] {
  const errorRateThresholdPercent = options.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT;
  return models.flatMap(({ modelName, target, p99LatencyMs }) => {
    const labels = { model: modelName, serving_target: target, severity: 'page' };
    const loadFailure: PrometheusAlertRule = {
      alert: 'ServingModelLoadFailed',
      expr: `sum(increase(${M.modelLoadFailures}{${SERVING_LABELS.model}="${modelName}"}[10m])) > 0`,
      for: '1m',
      labels,
      annotations: {
        summary: `${modelName}: a model version failed to load; the previous version keeps serving`,
        description: 'Read the serving logs for the load error.',
      },
    };
    if (target !== 'eks') return [loadFailure];
    const signalRules = servingSignals({ model: modelName }, { p99LatencyMs, errorRateThresholdPercent }).map((signal): PrometheusAlertRule => ({
      alert: signal.alert,
      expr: `${signal.expr} > ${signal.threshold}`,
      for: SERVING_SIGNAL_WINDOW,
      labels,
      annotations: { summary: `${modelName}: ${signal.name} above ${signal.limit} for ${SERVING_SIGNAL_WINDOW}` },
    }));
    return [...signalRules, loadFailure];
  });
}
