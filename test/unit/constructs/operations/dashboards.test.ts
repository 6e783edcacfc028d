// The generated dashboards: data sources by explicit uid, and every CloudWatch query names a metric the code publishes
// with its full dimension set (Powertools' `service` included), read from the metric-name modules.
import { buildDashboards, CLOUDWATCH_DATASOURCE, panelsOf, PROMETHEUS_DATASOURCE } from '../../../../constructs/operations/dashboards';
import { FeatureMaterialization, Ingestion } from '../../../../constructs/functions';
import { LambdaServing } from '../../../../constructs/serving';
import { SERVING_EMF } from '../../../../serving/src/metric-names';
import { EMITTED_METRICS } from '../../../../constructs/operations/emitted-metrics';
import { loadEnvironment } from '../../../../lib/config';
import { TRAINING_EXECUTION_METRICS, trainingStateMachineName } from '../../../../lib/training';
import { dashboardInputOf } from '../../../../stacks/dashboard-input';
import { cdkContext, environmentNames } from '../../../support/cdk-context';

/** AWS's own metrics the Lambda panels read, with the dimension set AWS publishes for an alias. */
const AWS_LAMBDA_ALIAS_DIMENSIONS = ['FunctionName', 'Resource'];

describe.each(environmentNames())('%s dashboards', (environment) => {
  const { name, config } = loadEnvironment(cdkContext().environments, environment);
  const input = dashboardInputOf(name, config);
  const dashboards = buildDashboards(input);
  const panels = dashboards.flatMap(({ json }) => panelsOf(json));
  const targets = panels.flatMap((panel) => (panel.targets as Array<Record<string, any>>).map((target) => ({ panel, target })));

  test('serving and data dashboards, drift when a model is watched, training when one is trained, with stable uids', () => {
    const expected = [
      `mlops-${name}-serving`,
      `mlops-${name}-data`,
      ...(input.driftModels.length > 0 ? [`mlops-${name}-drift`] : []),
      ...((config.training?.models.length ?? 0) > 0 ? [`mlops-${name}-training`] : []),
    ];
    expect(dashboards.map((d) => d.uid)).toEqual(expected);
  });

  test('every panel says which question it answers and names one of the two data sources by uid, as do its queries', () => {
    for (const { panel, target } of targets) {
      expect(panel.description).toMatch(/\?$/);
      expect([PROMETHEUS_DATASOURCE, CLOUDWATCH_DATASOURCE]).toContainEqual(panel.datasource);
      expect(target.datasource).toEqual(panel.datasource);
    }
  });

  test('each Lambda model has panels on its live alias and each Fargate/EKS model is a value of the model variable', () => {
    const serving = dashboards[0].json as Record<string, any>;
    const variable = serving.templating?.list?.find((v: { name: string }) => v.name === 'model');
    for (const model of input.models) {
      if (model.target === 'lambda') {
        expect(targets.some(({ target }) => target.dimensions?.Resource === `${model.lambdaFunctionName}:live`)).toBe(true);
      } else {
        expect(variable.query.split(',')).toContain(model.modelName);
      }
    }
  });

  test('every CloudWatch metric query names a metric the code publishes, with all its dimensions', () => {
    const metricQueries = targets.filter(({ target }) => target.datasource.uid === CLOUDWATCH_DATASOURCE.uid && target.metricName);
    expect(metricQueries.length).toBeGreaterThan(0);
    for (const { target } of metricQueries) {
      const dimensions = Object.keys(target.dimensions).sort();
      if (target.namespace === 'AWS/Lambda') {
        expect(dimensions).toEqual(AWS_LAMBDA_ALIAS_DIMENSIONS);
        continue;
      }
      expect(target.matchExact).toBe(true);
      expect(EMITTED_METRICS).toContainEqual({ namespace: target.namespace, metricName: target.metricName, service: target.dimensions.service, dimensions });
    }
  });

  test("the data dashboard queries the data-path constructs' metrics, those PlatformAlarms alarms on (same dimensions and statistic)", () => {
    const data = dashboards.find((d) => d.uid === `mlops-${name}-data`)!;
    const queries = panelsOf(data.json).flatMap((panel) => (panel.targets as Array<Record<string, any>>).filter((target) => target.metricName));
    const expected = [
      ...input.datasets.flatMap((dataset) => [
        Ingestion.metricRowsIn(dataset),
        Ingestion.metricRowsValid(dataset),
        Ingestion.metricRowsQuarantined(dataset),
        Ingestion.metricObjectsIngested(dataset),
      ]),
      ...input.featureGroups.flatMap((group) => [
        FeatureMaterialization.metricRecordsWrittenOffline(group),
        FeatureMaterialization.metricRecordsWrittenOnline(group),
        FeatureMaterialization.metricRecordsRejected(group),
        FeatureMaterialization.metricRecordsFailed(group),
        FeatureMaterialization.metricRecordRetries(group),
      ]),
    ].map((metric) => ({ namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, statistic: metric.statistic }));
    const shown = queries.map(({ namespace, metricName, dimensions, statistic }) => ({ namespace, metricName, dimensions, statistic }));
    expect(new Set(shown.map((query) => JSON.stringify(query)))).toEqual(new Set(expected.map((query) => JSON.stringify(query))));
  });

  test("each Lambda model's adapter panels query LambdaServing's static metrics (same dimensions; the statistic each panel needs)", () => {
    const serving = dashboards.find((d) => d.uid === `mlops-${name}-serving`)!;
    const emf = panelsOf(serving.json)
      .flatMap((panel) => panel.targets as Array<Record<string, any>>)
      .filter((target) => target.namespace === SERVING_EMF.namespace)
      .map(({ metricName, dimensions, statistic }) => JSON.stringify({ metricName, dimensions, statistic }));
    const expected = input.models
      .filter((model) => model.target === 'lambda')
      .flatMap(({ modelName }) => [
        LambdaServing.metricRequestLatency(modelName, { statistic: 'p99' }),
        ...['200', '400', '404', '500', '503'].map((status) => LambdaServing.metricRequests(modelName, status)),
        LambdaServing.metricQueueTime(modelName, { statistic: 'p99' }),
        LambdaServing.metricBatchSize(modelName),
        LambdaServing.metricModelLoadFailures(modelName),
      ])
      .map(({ metricName, dimensions, statistic }) => JSON.stringify({ metricName, dimensions, statistic }));
    expect(emf).toEqual(expected);
  });

  test('the training dashboard has a row per trained model whose Step Functions searches name its state machine', () => {
    const training = dashboards.find((d) => d.uid === `mlops-${name}-training`);
    for (const model of config.training?.models ?? []) {
      const trainingPanels = panelsOf(training!.json).filter((panel) => panel.title.startsWith(`${model.model}: `));
      expect(trainingPanels.map((panel) => panel.title.slice(model.model.length + 2))).toEqual([
        'executions',
        'run duration',
        `GPU hours this month (cap ${model.monthlyGpuHourCap} h)`,
        'evaluation gate',
        'triggers',
      ]);
      const searches = trainingPanels.flatMap((panel) => (panel.targets as Array<{ expression?: string }>).map((t) => t.expression)).filter(Boolean);
      expect(searches.length).toBe(7);
      for (const search of searches) {
        expect(search).toMatch(
          new RegExp(
            `^SEARCH\\('\\{${TRAINING_EXECUTION_METRICS.namespace},${TRAINING_EXECUTION_METRICS.dimension}\\} MetricName="\\w+" ${TRAINING_EXECUTION_METRICS.dimension}="${trainingStateMachineName(name, model.model)}"'`,
          ),
        );
        const metricName = /MetricName="(\w+)"/.exec(search!)![1];
        expect(Object.values(TRAINING_EXECUTION_METRICS)).toContain(metricName);
      }
    }
  });

  test('every SEARCH expression on a platform namespace names a published metric by its full dimension set', () => {
    const searches = targets.map(({ target }) => target.expression as string | undefined).filter((e): e is string => e?.startsWith('SEARCH(') ?? false);
    for (const search of searches) {
      const [, namespace, dims, metricName] = /SEARCH\('\{([^,}]+),([^}]*)\} MetricName="([^"]+)"/.exec(search)!;
      if (namespace.startsWith('AWS/')) continue;
      const service = /service="([^"]+)"/.exec(search)![1];
      expect(EMITTED_METRICS).toContainEqual({ namespace, metricName, service, dimensions: dims.split(',').sort() });
    }
  });
});
