import fc from 'fast-check';
import { ConfigError, loadEnvironment, type EnvironmentConfig } from '../../../../lib/config';
import { EKS_TRAINING_GPUS_PER_INSTANCE, eksTrainingConfigSchema, gpusPerTrainingNode } from '../../../../lib/training';
import { cdkContext } from '../../../support/cdk-context';
import '../../../support/fast-check-runs';

type Mutable = Record<string, unknown>;

function problemsOf(eks: unknown): readonly string[] {
  const envs = structuredClone(cdkContext().environments) as Record<string, EnvironmentConfig>;
  (envs.prod.training as unknown as Mutable).eks = eks;
  try {
    loadEnvironment(envs, 'prod');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('training.eks: the sample and the defaults', () => {
  test('prod trains on spot g5/g6 nodes (one GPU each), up to 4 nodes and 4 GPUs; root volume 200 GiB by default', () => {
    const { config } = loadEnvironment(cdkContext().environments, 'prod');
    expect(config.training!.eks).toEqual({ instanceTypes: ['g5.2xlarge', 'g6.2xlarge'], spot: true, maxNodes: 4, gpuQuota: 4, rootVolumeGb: 200 });
    expect(gpusPerTrainingNode(config.training!.eks!)).toBe(1);
  });

  test('only prod has it: dev and staging have no cluster', () => {
    for (const name of ['dev', 'staging']) expect(loadEnvironment(cdkContext().environments, name).config.training?.eks).toBeUndefined();
  });
});

describe('training.eks: each bad value fails with one line naming the key, the value and what is allowed', () => {
  const base = { instanceTypes: ['g5.2xlarge'], maxNodes: 2, gpuQuota: 2 };
  test.each<[string, unknown, RegExp]>([
    [
      'a CPU instance type',
      { ...base, instanceTypes: ['m7i.2xlarge'] },
      /^environments\.prod\.training\.eks\.instanceTypes\[0\]: got "m7i\.2xlarge"; an NVIDIA GPU instance type: g4dn\.xlarge/,
    ],
    [
      'a SageMaker name',
      { ...base, instanceTypes: ['ml.g5.2xlarge'] },
      /^environments\.prod\.training\.eks\.instanceTypes\[0\]: got "ml\.g5\.2xlarge"; an NVIDIA GPU instance type/,
    ],
    [
      'types with different GPU counts',
      { ...base, instanceTypes: ['g5.2xlarge', 'g5.12xlarge'] },
      /^environments\.prod\.training\.eks\.instanceTypes: got \["g5\.2xlarge","g5\.12xlarge"\]; must all have the same number of GPUs .*got 1 and 4$/,
    ],
    [
      'a quota below one node',
      { ...base, instanceTypes: ['g5.12xlarge'], gpuQuota: 2 },
      /^environments\.prod\.training\.eks\.gpuQuota: got 2; must allow one node's GPUs \(4\)/,
    ],
    [
      'a quota above the group',
      { ...base, gpuQuota: 3 },
      /^environments\.prod\.training\.eks\.gpuQuota: got 3; at most maxNodes × GPUs per node \(2 × 1 = 2\)/,
    ],
    ['no nodes', { ...base, maxNodes: 0 }, /^environments\.prod\.training\.eks\.maxNodes: got 0; /],
    ['an unknown key', { ...base, minNodes: 1 }, /^environments\.prod\.training\.eks\.minNodes: got 1; unknown key/],
  ])('%s', (_name, eks, expected) => {
    const problems = problemsOf(eks);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});

describe('training.eks: properties', () => {
  test('any accepted config has one GPU count per node and a quota between one node and the whole group', () => {
    const types = Object.keys(EKS_TRAINING_GPUS_PER_INSTANCE);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...types), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 100 }),
        (instanceTypes, maxNodes, gpuQuota) => {
          const parsed = eksTrainingConfigSchema.safeParse({ instanceTypes, maxNodes, gpuQuota });
          const counts = new Set(instanceTypes.map((t) => EKS_TRAINING_GPUS_PER_INSTANCE[t]));
          const perNode = EKS_TRAINING_GPUS_PER_INSTANCE[instanceTypes[0]];
          expect(parsed.success).toBe(counts.size === 1 && gpuQuota >= perNode && gpuQuota <= perNode * maxNodes);
        },
      ),
    );
  });
});
