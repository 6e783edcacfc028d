/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// The ADOT sidecar's Prometheus receiver config, run as-is (only the target address and interval changed) by a real
// Prometheus scraping the real serving server: the container's own `model` label must survive the collector's
// static labels, or every per-model query comes back empty.
import { adotCollectorConfig } from '../../../constructs/serving/adot-collector-config';
import { SERVING_CONTAINER } from '../../../constructs/serving/serving-image';
import { SERVING_LABELS, SERVING_PROMETHEUS_METRICS } from '../../../serving/src/metric-names';
import { LocalPrometheus } from '../../support/prometheus';
import { type RunningServer, startServer, TempRepository } from '../serving/support/test-server';

type ScrapeConfig = { static_configs: Array<{ targets: string[]; labels: Record<string, string> }> } & Record<string, unknown>;

const repo = new TempRepository({ 'scale/1/model.onnx': 'scale-v1.onnx' });
let server: RunningServer;
let prometheus: LocalPrometheus;

beforeAll(async () => {
  server = await startServer(repo.root);
  const collector = adotCollectorConfig({
    modelName: 'scale',
    remoteWriteUrl: 'https://unused.invalid/api/v1/remote_write',
    region: 'us-east-1',
    scrapeIntervalSeconds: 1,
  });
  const config = (collector.receivers as { prometheus: { config: { global: object; scrape_configs: ScrapeConfig[] } } }).prometheus.config;
  const [job] = config.scrape_configs;
  // The sidecar shares the task's network namespace: localhost:8080 there is the serving container, here the test server.
  expect(job.static_configs[0].targets).toEqual([`localhost:${SERVING_CONTAINER.port}`]);
  const local = { ...job, static_configs: [{ ...job.static_configs[0], targets: [new URL(server.url).host] }] };
  prometheus = await LocalPrometheus.start({ ...config, scrape_configs: [local] });
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${server.url}/v2/models/scale/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] }),
    });
    expect(response.status).toBe(200);
  }
});
afterAll(async () => {
  await prometheus?.stop();
  await server?.stop();
  repo.remove();
});

describe('the Fargate collector scrape config in a real Prometheus', () => {
  it("keeps the container's model label on its series, with the collector's serving_target", async () => {
    const series = await prometheus.waitFor(`${SERVING_PROMETHEUS_METRICS.requests}{${SERVING_LABELS.model}="scale",status="200"}`);
    expect(series).toHaveLength(1);
    expect(series[0].metric).toMatchObject({ model: 'scale', version: '1', [SERVING_LABELS.servingTarget]: 'fargate', job: 'model-serving' });
    expect(Number(series[0].value[1])).toBe(5);
  });

  it('renames nothing to exported_model', async () => {
    await prometheus.waitFor(SERVING_PROMETHEUS_METRICS.requests);
    expect(await prometheus.query('count({exported_model!=""})')).toEqual([]);
  });

  it('labels process metrics (which carry no model label) with the static model label', async () => {
    const series = await prometheus.waitFor('process_cpu_seconds_total');
    expect(series[0].metric).toMatchObject({ model: 'scale', [SERVING_LABELS.servingTarget]: 'fargate' });
  });

  it('scrapes the target as healthy', async () => {
    const targets = await prometheus.targets();
    expect(targets.map(({ health, lastError }) => ({ health, lastError }))).toEqual([{ health: 'up', lastError: '' }]);
  });
});
