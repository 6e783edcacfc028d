/**
 * The resource pattern of the serving domain (docs/resource-pattern.md): the metrics of the target that serves a model,
 * the rollback alarms built from exactly those metrics, the grant returned as an `iam.Grant`. No synth: metrics and
 * alarm properties are read from the construct tree (`Stack.resolve`), which is what the template is rendered from.
 */
import type { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LambdaServing } from '../../../../constructs/serving';
import { SERVING_EMF } from '../../../../serving/src/metric-names';
import { buildModelServing, SPARSE_PROFILE, STEADY_PROFILE } from './fixtures/serving-fixture';

const build = buildModelServing;

/** What identifies a CloudWatch metric: namespace, name and the whole dimension set (tokens resolved). */
function identity(stack: Stack, metric: cloudwatch.IMetric) {
  const stat = metric.toMetricConfig().metricStat!;
  return stack.resolve({ namespace: stat.namespace, metricName: stat.metricName, dimensions: stat.dimensions ?? [] }) as unknown;
}

/** Each metric, keyed by its expected name, is in `namespace` with exactly these dimension names. */
function expectMetrics(stack: Stack, metrics: Record<string, cloudwatch.Metric>, namespace: string, dimensionNames: string[]): void {
  for (const [metricName, metric] of Object.entries(metrics)) {
    const resolved = identity(stack, metric) as { namespace: string; metricName: string; dimensions: Array<{ name: string }> };
    expect([resolved.namespace, resolved.metricName]).toEqual([namespace, metricName]);
    expect(resolved.dimensions.map((dimension) => dimension.name).sort()).toEqual(dimensionNames);
  }
}

/** The metrics a math-expression alarm reads, by their id in the expression, as they go into the template. */
function expressionInputs(stack: Stack, alarm: cloudwatch.Alarm): Record<string, unknown> {
  const queries = stack.resolve((alarm.node.defaultChild as cloudwatch.CfnAlarm).metrics) as Array<{
    id: string;
    metricStat?: { metric: Record<string, unknown> };
  }>;
  return Object.fromEntries(queries.filter((query) => query.metricStat).map((query) => [query.id, { dimensions: [], ...query.metricStat!.metric }]));
}

/** The one metric a single-metric alarm reads. */
function alarmMetric(stack: Stack, alarm: cloudwatch.Alarm): unknown {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  return stack.resolve({ namespace: cfn.namespace, metricName: cfn.metricName, dimensions: cfn.dimensions ?? [] });
}

describe('LambdaServing: metrics, alarms built from them, grants', () => {
  const { stack, serving } = build({ traffic: SPARSE_PROFILE, forceTarget: 'lambda' });
  const lambda = serving.lambda!;

  test('metricErrors / metricInvocations / metricDuration / metricThrottles are the live alias in AWS/Lambda', () => {
    const metrics = {
      Errors: lambda.metricErrors(),
      Invocations: lambda.metricInvocations(),
      Duration: lambda.metricDuration(),
      Throttles: lambda.metricThrottles(),
    };
    expectMetrics(stack, metrics, 'AWS/Lambda', ['FunctionName', 'Resource']);
    for (const metric of Object.values(metrics)) expect(JSON.stringify(stack.resolve(metric.dimensions?.Resource))).toContain(':live');
  });

  test('the error-rate alarm divides exactly metricErrors by metricInvocations; the latency alarm reads metricDuration', () => {
    expect(expressionInputs(stack, lambda.errorRateAlarm)).toEqual({
      errors: identity(stack, lambda.metricErrors()),
      invocations: identity(stack, lambda.metricInvocations()),
    });
    expect(alarmMetric(stack, lambda.latencyAlarm)).toEqual(identity(stack, lambda.metricDuration()));
  });

  test("the facade hands out the target's metrics", () => {
    expect(identity(stack, serving.metricErrors())).toEqual(identity(stack, lambda.metricErrors()));
    expect(identity(stack, serving.metricRequests())).toEqual(identity(stack, lambda.metricInvocations()));
  });

  test("the adapter's EMF figures are static metrics with their service and model (and status) dimensions", () => {
    const model = { service: SERVING_EMF.service, model: 'churn-classifier' };
    for (const [metric, metricName, dimensions, statistic] of [
      [LambdaServing.metricModelLoadFailures('churn-classifier'), SERVING_EMF.metrics.modelLoadFailures, model, 'Sum'],
      [LambdaServing.metricRequests('churn-classifier', '503'), SERVING_EMF.metrics.requests, { ...model, status: '503' }, 'Sum'],
      [LambdaServing.metricRequestLatency('churn-classifier'), SERVING_EMF.metrics.requestLatency, model, 'Average'],
      [LambdaServing.metricQueueTime('churn-classifier'), SERVING_EMF.metrics.queueTime, model, 'Average'],
      [LambdaServing.metricBatchSize('churn-classifier'), SERVING_EMF.metrics.batchSize, model, 'Average'],
    ] as const) {
      expect([metric.namespace, metric.metricName, metric.dimensions, metric.statistic]).toEqual([SERVING_EMF.namespace, metricName, dimensions, statistic]);
    }
  });

  test('grantInvoke returns a successful iam.Grant for calls through the Function URL of the live alias', () => {
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = lambda.grantInvoke(caller);
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    // CDK's grantInvokeUrl adds lambda:InvokeFunctionUrl too (lambda-serving.test.ts) but returns the second statement:
    // InvokeFunction, allowed only through the URL.
    const [statement] = grant.principalStatements.map((s) => stack.resolve(s.toStatementJson()) as Record<string, unknown>);
    expect(statement).toMatchObject({ Action: 'lambda:InvokeFunction', Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': true } } });
    expect(statement.Resource).toEqual(stack.resolve(lambda.alias.functionArn));
  });
});

describe('FargateServing: metrics and the alarms built from them', () => {
  const { stack, serving } = build({ traffic: STEADY_PROFILE, forceTarget: 'fargate' });
  const fargate = serving.fargate!;

  test('metricTarget5xxCount / metricRequestCount / metricTargetResponseTime / metricHealthyTaskCount: the target group in AWS/ApplicationELB', () => {
    const metrics = {
      HTTPCode_Target_5XX_Count: fargate.metricTarget5xxCount(),
      RequestCount: fargate.metricRequestCount(),
      TargetResponseTime: fargate.metricTargetResponseTime(),
      HealthyHostCount: fargate.metricHealthyTaskCount(),
    };
    expectMetrics(stack, metrics, 'AWS/ApplicationELB', ['LoadBalancer', 'TargetGroup']);
  });

  test('the error-rate alarm divides exactly the 5XX count by the request count; the latency alarm reads the response time', () => {
    expect(expressionInputs(stack, fargate.errorRateAlarm)).toEqual({
      errors: identity(stack, fargate.metricTarget5xxCount()),
      requests: identity(stack, fargate.metricRequestCount()),
    });
    expect(alarmMetric(stack, fargate.latencyAlarm)).toEqual(identity(stack, fargate.metricTargetResponseTime()));
  });

  test("the facade hands out the target's metrics", () => {
    expect(identity(stack, serving.metricErrors())).toEqual(identity(stack, fargate.metricTarget5xxCount()));
    expect(identity(stack, serving.metricRequests())).toEqual(identity(stack, fargate.metricRequestCount()));
  });
});

test('ModelServing on EKS has no CloudWatch request metrics and says where they are', () => {
  const { serving } = build({ traffic: STEADY_PROFILE, forceTarget: 'eks' });
  expect(() => serving.metricErrors()).toThrow(/ModelServing churn-classifier: metricErrors\(\) needs a Lambda or Fargate target, not eks; .*Prometheus/);
  expect(() => serving.metricRequests()).toThrow(/metricRequests\(\) needs a Lambda or Fargate target/);
});
