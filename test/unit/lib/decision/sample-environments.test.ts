import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironment } from '../../../../lib/config';
import { decideEnvironment } from '../../../../lib/decision';
import { WORKED_EXAMPLES } from '../../../../lib/decision/worked-examples';

const environments = JSON.parse(readFileSync(join(__dirname, '../../../../cdk.json'), 'utf8')).context.environments;

function targets(name: string): Record<string, string> {
  const { config } = loadEnvironment(environments, name);
  expect(config.models.every((m) => m.forceTarget === undefined)).toBe(true);
  return Object.fromEntries(decideEnvironment(config).models.map((m) => [m.modelName, m.decision.target]));
}

describe('sample environments in cdk.json land by traffic and team size', () => {
  test('dev serves its model on Lambda', () => {
    expect(targets('dev')).toEqual({ 'churn-classifier': 'lambda' });
  });

  test('staging serves its model on Fargate', () => {
    expect(targets('staging')).toEqual({ 'churn-classifier': 'fargate' });
  });

  test('prod serves fraud-scorer and the GPU doc-embedder on EKS', () => {
    expect(targets('prod')).toEqual({ 'churn-classifier': 'fargate', 'fraud-scorer': 'eks', 'doc-embedder': 'eks' });
  });

  test('the GPU model anchors the prod cluster and carries its fixed costs', () => {
    const result = decideEnvironment(loadEnvironment(environments, 'prod').config);
    expect(result.eksClusterAnchor).toBe('doc-embedder');
    const mode = (name: string) => {
      const sizing = result.models.find((m) => m.modelName === name)?.decision.options.eks?.sizing;
      return sizing?.target === 'eks' ? sizing.clusterMode : undefined;
    };
    expect(mode('doc-embedder')).toBe('new-cluster');
    expect(mode('fraud-scorer')).toBe('environment-cluster');
  });
});

describe("worked examples named after a sample model use that model's cdk.json profile", () => {
  const samples: Array<[string, string, string]> = [
    ['dev churn-classifier', 'dev', 'churn-classifier'],
    ['staging/prod churn-classifier', 'staging', 'churn-classifier'],
    ['staging/prod churn-classifier', 'prod', 'churn-classifier'],
    ['prod fraud-scorer (prod has a cluster)', 'prod', 'fraud-scorer'],
    ['prod doc-embedder (GPU)', 'prod', 'doc-embedder'],
  ];
  test.each(samples)('%s = %s %s', (example, environment, model) => {
    const worked = WORKED_EXAMPLES.find((e) => e.name === example);
    const configured = loadEnvironment(environments, environment).config.models.find((m) => m.name === model);
    expect(worked?.profile).toEqual(configured?.traffic);
  });
});
