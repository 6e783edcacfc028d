import { Counter, Histogram, Registry } from 'prom-client';
import { bindCounter, bindHistogram } from '../../../serving/src/metric-children';

// The bound children write prom-client's stored values directly; what GET /metrics renders must be exactly what
// prom-client's own children would have rendered for the same observations.
function pair() {
  const make = (registry: Registry) => ({
    histogram: new Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['model', 'version'] as const,
      buckets: [0.001, 0.01, 0.1, 1],
      registers: [registry],
    }),
    counter: new Counter({ name: 'c_total', help: 'c', labelNames: ['model', 'version', 'status'] as const, registers: [registry] }),
  });
  const ours = new Registry();
  const theirs = new Registry();
  return { ours, theirs, oursMetrics: make(ours), theirsMetrics: make(theirs) };
}

describe('metric children bound once', () => {
  it('render exactly what prom-client renders for the same observations (values in, on and past the bucket bounds)', async () => {
    const { ours, theirs, oursMetrics, theirsMetrics } = pair();
    const labels = { model: 'm', version: '1' };
    const histogram = bindHistogram(oursMetrics.histogram, labels);
    const counter = bindCounter(oursMetrics.counter, { ...labels, status: '200' });
    const reference = theirsMetrics.histogram.labels(labels);
    const referenceCounter = theirsMetrics.counter.labels({ ...labels, status: '200' });
    for (const value of [0, 0.0005, 0.001, 0.005, 0.01, 0.5, 1, 2, 30]) {
      histogram.observe(value);
      reference.observe(value);
      counter.inc();
      referenceCounter.inc();
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('keep the series of a version bound again (counts never go backwards) and show new series at zero', async () => {
    const { ours, oursMetrics } = pair();
    bindHistogram(oursMetrics.histogram, { model: 'm', version: '1' }).observe(0.5);
    bindHistogram(oursMetrics.histogram, { model: 'm', version: '1' }).observe(0.5);
    bindCounter(oursMetrics.counter, { model: 'm', version: '2', status: '200' });
    const text = await ours.metrics();
    expect(text).toContain('h_seconds_count{model="m",version="1"} 2');
    expect(text).toContain('c_total{model="m",version="2",status="200"} 0');
  });
});
