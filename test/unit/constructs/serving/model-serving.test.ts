import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SERVING_DECISION_METADATA_KEY } from '../../../../constructs/serving';
import { PlatformNetwork } from '../../../../constructs/network';
import { ModelRepository } from '../../../../constructs/model-registry';
import { loadEnvironment } from '../../../../lib/config';
import { decideServing, type TrafficProfile } from '../../../../lib/decision';
import { ServingStack } from '../../../../stacks/serving-stack';
import { cdkContext, fastCdkContext } from '../../../support/cdk-context';
import { buildModelServing, FIXTURE_IMAGE_DIRECTORY, testMetricsWorkspace, SPARSE_PROFILE, STEADY_PROFILE } from './fixtures/serving-fixture';

const GPU_PROFILE: TrafficProfile = { ...STEADY_PROFILE, computeMsPerInference: 25, memoryMb: 8192, gpu: true, teamSize: 8 };

const build = buildModelServing;

/** The decision as an auditor finds it: in the synthesized template JSON, on the resource that serves the model. */
function recordedDecisions(stack: Stack): Array<{ type: string; decision: Record<string, any> }> {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Metadata?: Record<string, any> }>;
  return Object.values(resources)
    .filter((r) => r.Metadata?.[SERVING_DECISION_METADATA_KEY])
    .map((r) => ({ type: r.Type, decision: r.Metadata![SERVING_DECISION_METADATA_KEY] }));
}

describe('ModelServing defaults', () => {
  test('sparse traffic and a team of one: Lambda, with the decision recorded on the function in the template', () => {
    const { stack, serving } = build({ traffic: SPARSE_PROFILE });
    expect(serving.target).toBe('lambda');
    expect(serving.lambda).toBeDefined();
    expect(serving.fargate).toBeUndefined();
    const records = recordedDecisions(stack);
    expect(records).toHaveLength(1);
    const { type, decision } = records[0];
    expect(type).toBe('AWS::Lambda::Function');
    const expected = decideServing(SPARSE_PROFILE, { highAvailability: true, architecture: 'x86_64' });
    expect(decision).toEqual({
      model: 'churn-classifier',
      target: 'lambda',
      recommendedTarget: 'lambda',
      forced: false,
      monthlyCostUsd: expected.costs,
      reasons: expected.reasons,
      rejected: expected.rejected,
      flipPoints: expected.flipPoints,
      seedGuidance: expected.seedGuidance,
      sizing: expected.options.lambda!.sizing,
    });
    expect(decision.rejected.map((r: { target: string }) => r.target).sort()).toEqual(['eks', 'fargate']);
    expect(decision.flipPoints.length).toBeGreaterThan(0);
  });

  test("the Lambda rollback alarm's latency objective is the model's p99 SLO", () => {
    const { stack } = build({ traffic: SPARSE_PROFILE });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: SPARSE_PROFILE.p99LatencyMs });
  });

  test("the Fargate rollback alarm's latency objective is the model's p99 SLO, in seconds", () => {
    const { stack, serving } = build({ traffic: STEADY_PROFILE });
    expect(serving.target).toBe('fargate');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      Threshold: STEADY_PROFILE.p99LatencyMs / 1000,
    });
  });

  test('a p99 SLO at or above the load balancer idle timeout: the objective is 80% of that timeout (48 s), not a tight default', () => {
    const { stack } = build({ traffic: { ...STEADY_PROFILE, p99LatencyMs: 90_000 }, forceTarget: 'fargate' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', Threshold: 48 });
  });

  test('a fractional p99 SLO becomes whole milliseconds instead of failing the synth', () => {
    const { stack } = build({ traffic: { ...STEADY_PROFILE, p99LatencyMs: 150.5 }, forceTarget: 'fargate' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', Threshold: 0.15 });
  });

  test('steady traffic and a team of three: Fargate, decision recorded on the ECS service', () => {
    const { stack, serving } = build({ traffic: STEADY_PROFILE });
    expect(serving.target).toBe('fargate');
    const [record] = recordedDecisions(stack);
    expect(record.type).toBe('AWS::ECS::Service');
    expect(record.decision.monthlyCostUsd.fargate).toBeLessThan(record.decision.monthlyCostUsd.lambda);
  });

  test('a GPU model: EKS (the only target with GPUs), decision recorded on the pod identity association', () => {
    const { stack, serving } = build({ modelName: 'doc-embedder', traffic: GPU_PROFILE });
    expect(serving.target).toBe('eks');
    expect(serving.eks).toBeDefined();
    const [record] = recordedDecisions(stack);
    expect(record.type).toBe('AWS::EKS::PodIdentityAssociation');
    expect(record.decision.monthlyCostUsd).toMatchObject({ lambda: null, fargate: null });
  });
});

describe('ModelServing custom props', () => {
  test('forceTarget builds the forced target and records the recommended one beside it', () => {
    const { stack, serving } = build({ traffic: { ...SPARSE_PROFILE, teamSize: 3 }, forceTarget: 'fargate' });
    expect(serving.target).toBe('fargate');
    const [record] = recordedDecisions(stack);
    expect(record.decision).toMatchObject({ target: 'fargate', recommendedTarget: 'lambda', forced: true });
    expect(record.decision.reasons[0]).toMatch(/forced to fargate by configuration/);
  });

  test('a decision computed elsewhere (decideEnvironment) is used as given', () => {
    const decision = decideServing(STEADY_PROFILE, { highAvailability: false, architecture: 'x86_64', forceTarget: 'lambda' });
    const { serving } = build({ traffic: STEADY_PROFILE, decision });
    expect(serving.target).toBe('lambda');
    expect(serving.decision).toBe(decision);
  });

  test('lambdaOptions and fargateOptions reach the target', () => {
    const { stack } = build({ traffic: SPARSE_PROFILE, lambdaOptions: { endpoint: 'http-api' } });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::Api', 1);
  });
});

describe('ModelServing validation', () => {
  test('a decision together with forceTarget or decisionContext', () => {
    const decision = decideServing(SPARSE_PROFILE, { highAvailability: true });
    expect(() => build({ traffic: SPARSE_PROFILE, decision, forceTarget: 'fargate' })).toThrow(
      /ModelServing: invalid forceTarget = "fargate"; not together with decision/,
    );
    expect(() => build({ traffic: SPARSE_PROFILE, decision, decisionContext: { highAvailability: false } })).toThrow(/invalid decisionContext/);
  });

  test('a model name that cannot name resources', () => {
    expect(() => build({ traffic: SPARSE_PROFILE, modelName: 'Churn_Classifier' })).toThrow(/ModelServing: invalid modelName = "Churn_Classifier"/);
  });

  test('forcing a target that breaks a hard limit', () => {
    expect(() => build({ traffic: GPU_PROFILE, forceTarget: 'lambda' })).toThrow(/lambda/);
  });
});

describe('ServingStack on the sample environments (by traffic, not forced)', () => {
  function servingStackFor(environmentName: string) {
    const app = new App({ context: fastCdkContext() });
    const { config } = loadEnvironment(cdkContext().environments, environmentName);
    const support = new Stack(app, 'Support');
    const vpc = new PlatformNetwork(support, 'Network').vpc;
    const modelRepository = new ModelRepository(support, 'ModelRepository');
    return new ServingStack(app, 'Serving', {
      config,
      vpc,
      modelRepository,
      metricsWorkspace: testMetricsWorkspace(support),
      imageDirectory: FIXTURE_IMAGE_DIRECTORY,
    });
  }

  test.each([
    ['dev', { 'churn-classifier': 'lambda' }],
    ['staging', { 'churn-classifier': 'fargate' }],
    ['prod', { 'churn-classifier': 'fargate', 'fraud-scorer': 'eks', 'doc-embedder': 'eks' }],
  ])('%s', (environmentName, expected) => {
    const stack = servingStackFor(environmentName);
    expect(Object.fromEntries(stack.models.map((m) => [m.decision.target === m.target ? m.node.id : '', m.target]))).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([name, target]) => [
          name
            .split('-')
            .map((p) => p[0].toUpperCase() + p.slice(1))
            .join(''),
          target,
        ]),
      ),
    );
    for (const model of stack.models) expect(model.decision.forced).toBe(false);
    const records = recordedDecisions(stack);
    expect(records.map((r) => r.decision.model).sort()).toEqual(Object.keys(expected).sort());
    const eksModels = Object.values(expected).filter((t) => t === 'eks').length;
    // EKS models share one cluster per environment.
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Cluster', eksModels > 0 ? 1 : 0);
  });
});
