import { ConfigError, loadEnvironment, type EnvironmentConfig } from '../../../../lib/config';
import { cdkContext } from '../../../support/cdk-context';

const sampleEnvironments = () => structuredClone(cdkContext().environments) as Record<string, EnvironmentConfig>;
type Mutable = Record<string, unknown>;

function problemsOf(mutate: (training: Mutable, env: Mutable) => void, environment = 'dev'): readonly string[] {
  const envs = sampleEnvironments();
  const env = envs[environment] as unknown as Mutable;
  mutate((env.training as Mutable & { models: Mutable[] }).models[0], env);
  try {
    loadEnvironment(envs, environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('training config: the samples', () => {
  test('dev trains on one small GPU instance with spot, in an auto-approval environment', () => {
    const { config } = loadEnvironment(sampleEnvironments(), 'dev');
    const [churn] = config.training!.models;
    expect(churn).toMatchObject({ instanceType: 'ml.g4dn.xlarge', instanceCount: 1, spot: true });
    expect(churn.maxWaitHours).toBeGreaterThanOrEqual(churn.maxRuntimeHours);
    expect(config.approvalMode).toBe('auto');
  });

  test('prod trains on several GPU instances and waits for a person to approve', () => {
    const { config } = loadEnvironment(sampleEnvironments(), 'prod');
    const [churn] = config.training!.models;
    expect(churn.instanceCount).toBeGreaterThan(1);
    expect(config.approvalMode).toBe('manual');
  });

  test('an environment without a training block is valid (no training stack resources)', () => {
    const envs = sampleEnvironments();
    delete (envs.dev as Partial<EnvironmentConfig>).training;
    expect(loadEnvironment(envs, 'dev').config.training).toBeUndefined();
  });
});

describe('training config: each bad value fails with one line naming the key, the value and what is allowed', () => {
  test.each<[string, (t: Mutable, env: Mutable) => void, RegExp]>([
    [
      'a tag instead of a digest',
      (t) => (t.image = '111122223333.dkr.ecr.us-east-1.amazonaws.com/trainer:latest'),
      /^environments\.dev\.training\.models\[0\]\.image: got "111122223333\.dkr\.ecr.*; an ECR image pinned by digest/,
    ],
    [
      'a CPU instance type',
      (t) => (t.instanceType = 'ml.m5.xlarge'),
      /^environments\.dev\.training\.models\[0\]\.instanceType: got "ml\.m5\.xlarge"; a SageMaker GPU training instance type/,
    ],
    [
      'max wait below max runtime',
      (t) => (t.maxWaitHours = 0.5),
      /^environments\.dev\.training\.models\[0\]\.maxWaitHours: got 0\.5; must be at least maxRuntimeHours \(1\)$/,
    ],
    [
      'spot without max wait',
      (t) => delete t.maxWaitHours,
      /^environments\.dev\.training\.models\[0\]\.maxWaitHours: got nothing \(the key is missing\); required with spot: true/,
    ],
    ['max wait without spot', (t) => (t.spot = false), /^environments\.dev\.training\.models\[0\]\.maxWaitHours: got 2; only allowed with spot: true/],
    [
      'a number as hyperparameter',
      (t) => ((t.hyperparameters as Mutable).epochs = 20),
      /^environments\.dev\.training\.models\[0\]\.hyperparameters\.epochs: got 20; .*expected string/,
    ],
    [
      'a regex without a capture group',
      (t) => ((t.metricDefinitions as Mutable[])[0].regex = 'loss=[0-9.]+'),
      /metricDefinitions\[0\]\.regex: got "loss=\[0-9\.\]\+"; must have exactly one capture group .*found 0$/,
    ],
    [
      'a regex that does not compile',
      (t) => ((t.metricDefinitions as Mutable[])[0].regex = 'loss=(['),
      /metricDefinitions\[0\]\.regex: got "loss=\(\["; not a regular expression/,
    ],
    ['an unknown comparison', (t) => ((t.evaluationGate as Mutable).comparison = '=>'), /evaluationGate\.comparison: got "=>"; .*">="\|">"\|"<="\|"<"/],
    [
      'a cap below one run',
      (t) => (t.monthlyGpuHourCap = 0.5),
      /monthlyGpuHourCap: got 0\.5; must allow at least one full run: maxRuntimeHours × instanceCount = 1$/,
    ],
    ['a bad schedule', (t) => (t.schedule = 'every monday'), /schedule: got "every monday"; an EventBridge schedule expression/],
    ['an unknown key', (t) => (t.gpus = 4), /^environments\.dev\.training\.models\[0\]\.gpus: got 4; unknown key/],
    [
      'a model the environment does not have',
      (t) => (t.model = 'fraud-scorer'),
      /^environments\.dev\.training\.models\[0\]\.model: got "fraud-scorer"; must be one of this environment's models \(churn-classifier\)$/,
    ],
    [
      'a budget without anyone to email',
      (_t, env) => ((env.training as { budget: Mutable }).budget.emails = []),
      /^environments\.dev\.training\.budget\.emails: got \[\]; .*>=1/,
    ],
  ])('%s', (_name, mutate, expected) => {
    const problems = problemsOf(mutate);
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  test('the same model trained twice is named', () => {
    const problems = problemsOf((_t, env) => {
      const training = env.training as { models: Mutable[] };
      training.models.push(structuredClone(training.models[0]));
    });
    expect(problems).toEqual(['environments.dev.training.models[1].model: got "churn-classifier"; must be unique within training.models']);
  });
});
