/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
// Proof that the generated dashboards show data: a real Prometheus (1 s scrape) scrapes the real serving server under
// a small load, and every PromQL expression of every panel of every environment's dashboards, with Grafana's
// variables substituted, returns at least one series. The serving alert rules are loaded as a rule file, which
// Prometheus refuses to start with if an expression does not parse.
import { buildDashboards, MODEL_VARIABLE, panelsOf, PROMETHEUS_DATASOURCE } from '../../../constructs/operations/dashboards';
import { servingAlertRules } from '../../../constructs/operations/serving-alert-rules';
import { servingSignals, requestRateExpression } from '../../../lib/monitoring/serving-signals';
import { SERVING_CONTAINER } from '../../../constructs/serving/serving-image';
import { loadEnvironment } from '../../../lib/config';
import { dashboardInputOf } from '../../../stacks/dashboard-input';
import { cdkContext } from '../../support/cdk-context';
import { LocalPrometheus } from '../../support/prometheus';
import { type RunningServer, startServer, TempRepository } from '../serving/support/test-server';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRAPE_SECONDS = 1;
/** Grafana's $__rate_interval is at least four scrape intervals. */
const RATE_INTERVAL = `${4 * SCRAPE_SECONDS}s`;
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

const prometheusQueries = ENVIRONMENTS.flatMap((environment) => {
  const { name, config } = loadEnvironment(cdkContext().environments, environment);
  const input = dashboardInputOf(name, config);
  return buildDashboards(input).flatMap(({ uid, json }) => {
    const variable = (json.templating as { list?: Array<{ name: string; query: string }> } | undefined)?.list?.find((v) => v.name === MODEL_VARIABLE);
    const models = variable ? variable.query.split(',') : [];
    return panelsOf(json)
      .filter((panel) => panel.datasource?.uid === PROMETHEUS_DATASOURCE.uid)
      .flatMap((panel) =>
        (panel.targets as Array<{ expr: string }>).flatMap((target) => models.map((model) => ({ uid, title: panel.title, model, expr: target.expr }))),
      );
  });
});
const servedModels = [...new Set(prometheusQueries.map((query) => query.model))];
const rules = ENVIRONMENTS.flatMap((environment) => {
  const { name, config } = loadEnvironment(cdkContext().environments, environment);
  return servingAlertRules(dashboardInputOf(name, config).models.filter((m) => m.target !== 'lambda') as never);
});

const repo = new TempRepository(Object.fromEntries(servedModels.map((model) => [`${model}/1/model.onnx`, 'scale-v1.onnx'])));
const ruleDirectory = mkdtempSync(join(tmpdir(), 'serving-rules-'));
let server: RunningServer;
let prometheus: LocalPrometheus;
let load: NodeJS.Timeout;

function infer(model: string, body: string): Promise<unknown> {
  return fetch(`${server.url}/v2/models/${model}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) =>
    r.arrayBuffer(),
  );
}
const GOOD = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] });

beforeAll(async () => {
  server = await startServer(repo.root);
  const rulesFile = join(ruleDirectory, 'serving-rules.yml');
  writeFileSync(rulesFile, JSON.stringify({ groups: [{ name: 'serving', rules }] }));
  prometheus = await LocalPrometheus.start({
    global: { scrape_interval: `${SCRAPE_SECONDS}s`, evaluation_interval: `${SCRAPE_SECONDS}s` },
    rule_files: [rulesFile],
    scrape_configs: [
      { job_name: 'model-serving', honor_labels: true, metrics_path: SERVING_CONTAINER.metricsPath, static_configs: [{ targets: [new URL(server.url).host] }] },
    ],
  });
  // A small steady load on every model, some requests malformed (400), so error and status panels have series.
  let tick = 0;
  load = setInterval(() => {
    tick++;
    for (const model of servedModels) void infer(model, tick % 5 === 0 ? '{"inputs": [' : GOOD).catch(() => undefined);
  }, 50);
  // Enough scrapes that a 4 s rate window holds several samples with traffic in between.
  await prometheus.waitFor(`count(${'serving_requests_total'}) > 0`);
  await new Promise((resolve) => setTimeout(resolve, 6000));
}, 60_000);
afterAll(async () => {
  clearInterval(load);
  await prometheus?.stop();
  await server?.stop();
  repo.remove();
  rmSync(ruleDirectory, { recursive: true, force: true });
});

describe('every PromQL panel of every generated dashboard, against a real Prometheus scraping the serving server', () => {
  it('has queries to run and rules that Prometheus loaded', async () => {
    expect(prometheusQueries.length).toBeGreaterThan(20);
    const response = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: unknown[] }> } };
    expect(response.data.groups[0].rules).toHaveLength(rules.length);
  });

  it("the EKS rollout's per-version signals select the series the server labels with the version it serves", async () => {
    const [model] = servedModels;
    const selector = { model, version: '1' };
    const [traffic] = await prometheus.query(requestRateExpression(selector));
    expect(traffic.value[1]).not.toBe('0');
    const [errorRate, latency] = servingSignals(selector, { p99LatencyMs: 100 });
    // Malformed requests are 400s: no 5XX series, hence no error-rate value (the rollout reads that as 0 with traffic).
    expect(await prometheus.query(errorRate.expr)).toEqual([]);
    expect(Number((await prometheus.query(latency.expr))[0].value[1])).toBeGreaterThan(0);
    expect(await prometheus.query(requestRateExpression({ model, version: '2' }))).toEqual([]);
  });

  it.each(prometheusQueries.map((q) => [q.uid, q.title, q.model, q.expr] as const))('%s / %s (model %s): %s', async (_uid, _title, model, expr) => {
    const query = expr.replaceAll('$__rate_interval', RATE_INTERVAL).replaceAll(`$${MODEL_VARIABLE}`, model);
    const series = await prometheus.query(query);
    expect(series.length).toBeGreaterThanOrEqual(1);
  });
});
