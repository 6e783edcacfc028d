import fc from 'fast-check';
import { decideServing, evaluateTargets, NoFeasibleTargetError, type DecisionContext, type TrafficProfile } from '../../../../lib/decision';

const profileArb: fc.Arbitrary<TrafficProfile> = fc.record({
  monthlyRequests: fc.integer({ min: 0, max: 3_000_000_000 }),
  peakRps: fc.double({ min: 0, max: 5000, noNaN: true }),
  p99LatencyMs: fc.double({ min: 1, max: 5000, noNaN: true }),
  payloadKb: fc.double({ min: 0.1, max: 10_000, noNaN: true }),
  computeMsPerInference: fc.double({ min: 0.1, max: 2000, noNaN: true }),
  memoryMb: fc.integer({ min: 128, max: 130_000 }),
  gpu: fc.boolean(),
  teamSize: fc.integer({ min: 1, max: 12 }),
});

const contextArb: fc.Arbitrary<DecisionContext> = fc.record(
  {
    highAvailability: fc.boolean(),
    eksClusterInEnvironment: fc.boolean(),
    sharedEksClusterName: fc.constant('platform'),
    architecture: fc.constantFrom('arm64' as const, 'x86_64' as const),
  },
  { requiredKeys: ['highAvailability'] },
);

/** A decision, or undefined when no target is feasible (that outcome is itself checked below). */
function decideOrNone(profile: TrafficProfile, context: DecisionContext) {
  try {
    return decideServing(profile, context);
  } catch (error) {
    if (error instanceof NoFeasibleTargetError) return undefined;
    throw error;
  }
}

// Independent restatement of the hard limits, written from AWS's published quotas rather than from the code.
function breaksHardLimit(target: string, p: TrafficProfile): boolean {
  const memoryWithRuntime = p.memoryMb + 512;
  switch (target) {
    case 'lambda':
      return (
        p.gpu ||
        p.payloadKb > 6144 ||
        p.computeMsPerInference > 900_000 ||
        Math.max(1769, memoryWithRuntime) > 10_240 ||
        p.computeMsPerInference > p.p99LatencyMs
      );
    case 'fargate':
      return p.gpu || memoryWithRuntime + 512 > 120 * 1024 || p.computeMsPerInference > p.p99LatencyMs;
    default:
      return p.computeMsPerInference > p.p99LatencyMs;
  }
}

const VALID_FARGATE: Record<number, (mib: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
  8192: (m) => m >= 16384 && m <= 61440 && m % 4096 === 0,
  16384: (m) => m >= 32768 && m <= 122880 && m % 8192 === 0,
};

describe('decision matrix properties', () => {
  test('deterministic: the same input gives the same decision', () => {
    fc.assert(
      fc.property(profileArb, contextArb, (profile, context) => {
        expect(decideOrNone(profile, context)).toEqual(decideOrNone(profile, context));
      }),
      { numRuns: 60 },
    );
  });

  test('never picks a target that breaks a hard limit or the team constraint', () => {
    fc.assert(
      fc.property(profileArb, contextArb, (profile, context) => {
        const decision = decideOrNone(profile, context);
        if (!decision) return;
        expect(breaksHardLimit(decision.target, profile)).toBe(false);
        const minTeam = { lambda: 1, fargate: 2, eks: context.sharedEksClusterName ? 1 : 5 }[decision.target];
        expect(profile.teamSize).toBeGreaterThanOrEqual(minTeam);
      }),
      { numRuns: 150 },
    );
  });

  test('a GPU model never lands on Lambda or Fargate', () => {
    fc.assert(
      fc.property(profileArb, contextArb, (profile, context) => {
        const decision = decideOrNone({ ...profile, gpu: true }, context);
        if (decision) expect(decision.target).toBe('eks');
      }),
      { numRuns: 100 },
    );
  });

  test('more traffic never makes a target cheaper', () => {
    const moreTraffic = fc.tuple(profileArb, contextArb, fc.integer({ min: 0, max: 2_000_000_000 }), fc.double({ min: 0, max: 3000, noNaN: true }));
    fc.assert(
      fc.property(moreTraffic, ([profile, context, extraRequests, extraPeak]) => {
        const busier = { ...profile, monthlyRequests: profile.monthlyRequests + extraRequests, peakRps: profile.peakRps + extraPeak };
        const before = evaluateTargets(profile, context).options;
        const after = evaluateTargets(busier, context).options;
        for (const target of ['lambda', 'fargate', 'eks'] as const) {
          const was = before[target]?.cost.totalUsd;
          const is = after[target]?.cost.totalUsd;
          if (was !== undefined && is !== undefined) expect(is).toBeGreaterThanOrEqual(was - 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('sizing is valid: Fargate combinations, HA minimums, max >= min', () => {
    fc.assert(
      fc.property(profileArb, contextArb, (profile, context) => {
        const { options } = evaluateTargets(profile, context);
        const minimum = context.highAvailability ? 2 : 1;
        const fargate = options.fargate?.sizing;
        if (fargate?.target === 'fargate') {
          expect(VALID_FARGATE[fargate.taskCpuUnits]?.(fargate.taskMemoryMiB)).toBe(true);
          expect(fargate.appMemoryMiB).toBeGreaterThanOrEqual(profile.memoryMb + 512);
          expect(fargate.minTasks).toBe(minimum);
          expect(fargate.maxTasks).toBeGreaterThanOrEqual(fargate.minTasks);
        }
        const eks = options.eks?.sizing;
        if (eks?.target === 'eks') {
          expect(eks.minReplicas).toBe(minimum);
          expect(eks.maxReplicas).toBeGreaterThanOrEqual(eks.minReplicas);
          expect(eks.maxNodes).toBeGreaterThanOrEqual(eks.minNodes);
          expect(eks.gpuPerPod).toBe(profile.gpu ? 1 : 0);
        }
        const lambda = options.lambda?.sizing;
        if (lambda?.target === 'lambda') {
          expect(lambda.memoryMb).toBeLessThanOrEqual(10_240);
          expect(lambda.reservedConcurrency).toBeGreaterThanOrEqual(lambda.provisionedConcurrency);
        }
      }),
      { numRuns: 150 },
    );
  });
});
