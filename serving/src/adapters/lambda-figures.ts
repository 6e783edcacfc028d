import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { SERVING_EMF } from '../metric-names';
import type { ServingMetrics } from '../metrics';

/** Running totals of the registry's counters and histogram sums/counts, keyed `series|model[|status]`. */
type Totals = ReadonlyMap<string, number>;

const SERIES = ['requests', 'requestDuration', 'queueDuration', 'batchSize', 'modelLoadFailures'] as const;
type Series = (typeof SERIES)[number];

/**
 * Publishes, after each Lambda invocation, what that invocation added to the serving registry (the same figures the
 * HTTP server exposes to Prometheus) as CloudWatch EMF under the names of `SERVING_EMF`: requests by status, request
 * latency, queue time, batch size, model-load failures. Lambda runs one invocation at a time per environment, so the
 * difference from the previous publication is that invocation's figures (plus any model load that failed in between).
 */
export class InvocationFigures {
  private readonly emf = new Metrics({ namespace: SERVING_EMF.namespace, serviceName: SERVING_EMF.service });
  private published: Totals = new Map();

  constructor(private readonly metrics: ServingMetrics) {}

  /** Publishes what changed since the previous call; nothing when nothing changed (e.g. a health check). */
  async publish(): Promise<void> {
    const before = this.published;
    const after = await totalsOf(this.metrics);
    this.published = after;
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    for (const key of after.keys()) {
      const [series, model, status] = key.split('|') as [Series | `${Series}Count`, string, string | undefined];
      const value = delta(key);
      if (value <= 0) continue;
      switch (series) {
        case 'requests':
          this.single(model, { [SERVING_EMF.dimensions.status]: status! }).addMetric(SERVING_EMF.metrics.requests, MetricUnit.Count, value);
          break;
        case 'modelLoadFailures':
          this.single(model).addMetric(SERVING_EMF.metrics.modelLoadFailures, MetricUnit.Count, value);
          break;
        case 'requestDuration':
        case 'queueDuration':
        case 'batchSize': {
          const count = delta(`${series}Count|${model}`);
          if (count <= 0) break;
          const mean = value / count;
          const [name, unit, scale] = FIGURES[series];
          this.single(model).addMetric(name, unit, mean * scale);
          break;
        }
        default:
          break;
      }
    }
  }

  /** One EMF document per figure: its dimensions are the model (and status), plus Powertools' `service`. */
  private single(model: string, extra: Record<string, string> = {}) {
    const single = this.emf.singleMetric();
    single.addDimensions({ [SERVING_EMF.dimensions.model]: model, ...extra });
    return single;
  }
}

/** EMF name, unit and scale of the histogram figures (seconds → milliseconds). */
const FIGURES = {
  requestDuration: [SERVING_EMF.metrics.requestLatency, MetricUnit.Milliseconds, 1000],
  queueDuration: [SERVING_EMF.metrics.queueTime, MetricUnit.Milliseconds, 1000],
  batchSize: [SERVING_EMF.metrics.batchSize, MetricUnit.Count, 1],
} as const;

async function totalsOf(metrics: ServingMetrics): Promise<Totals> {
  const totals = new Map<string, number>();
  const add = (key: string, value: number) => totals.set(key, (totals.get(key) ?? 0) + value);
  for (const series of SERIES) {
    const { values } = await metrics[series].get();
    for (const sample of values) {
      const labels = sample.labels as Record<string, string | number | undefined>;
      const model = String(labels.model);
      const name = (sample as { metricName?: string }).metricName ?? '';
      if (series === 'requests') add(`requests|${model}|${String(labels.status)}`, sample.value);
      else if (series === 'modelLoadFailures') add(`modelLoadFailures|${model}`, sample.value);
      else if (name.endsWith('_sum')) add(`${series}|${model}`, sample.value);
      else if (name.endsWith('_count')) add(`${series}Count|${model}`, sample.value);
    }
  }
  return totals;
}
