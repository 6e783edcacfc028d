import { decideServing, ForcedTargetInfeasibleError, NoFeasibleTargetError, seedGuidanceTarget, type TrafficProfile } from '../../../../lib/decision';
import { SAMPLE_MODEL_PROFILES } from '../../../../lib/decision/worked-examples';

const light: TrafficProfile = SAMPLE_MODEL_PROFILES.churnClassifier;
// A heavy CPU model (a transformer on CPU): where the seed guidance's bands hold.
const heavy: TrafficProfile = {
  monthlyRequests: 0,
  peakRps: 0,
  p99LatencyMs: 3000,
  payloadKb: 16,
  computeMsPerInference: 800,
  memoryMb: 4096,
  gpu: false,
  teamSize: 3,
};
const atVolume = (profile: TrafficProfile, monthlyRequests: number, teamSize = profile.teamSize): TrafficProfile => ({
  ...profile,
  monthlyRequests,
  peakRps: (3 * monthlyRequests) / 2_628_000,
  teamSize,
});

describe('forceTarget', () => {
  test('overrides the choice but keeps the recommendation and costs', () => {
    const decision = decideServing(light, { highAvailability: true, forceTarget: 'lambda' });
    expect(decision).toMatchObject({ target: 'lambda', recommendedTarget: 'fargate', forced: true });
    expect(decision.reasons[0]).toMatch(/forced to lambda .* recommends fargate/);
  });

  test('may override the team constraint', () => {
    expect(decideServing(light, { highAvailability: true, forceTarget: 'eks' }).target).toBe('eks');
  });

  test('cannot override a hard limit', () => {
    expect(() => decideServing({ ...light, gpu: true, teamSize: 8 }, { highAvailability: true, forceTarget: 'lambda' })).toThrow(ForcedTargetInfeasibleError);
    expect(() => decideServing({ ...light, gpu: true, teamSize: 8 }, { highAvailability: true, forceTarget: 'fargate' })).toThrow(
      /forceTarget 'fargate' breaks a hard limit: needs a GPU/,
    );
  });
});

describe('hard limits', () => {
  test('a payload above 6 MB rules out Lambda', () => {
    const decision = decideServing({ ...light, payloadKb: 8192 }, { highAvailability: true });
    expect(decision.rejected).toContainEqual({ target: 'lambda', kind: 'hard-limit', reason: 'payload 8192 KB exceeds the 6 MB synchronous invocation limit' });
    expect(decision.costs.lambda).toBeNull();
  });

  test('a model above 10,240 MB rules out Lambda; above 120 GB rules out Fargate', () => {
    expect(decideServing({ ...light, memoryMb: 12_000 }, { highAvailability: true }).rejected.map((r) => r.target)).toContain('lambda');
    expect(() => decideServing({ ...light, memoryMb: 125_000 }, { highAvailability: true })).toThrow(
      /lambda: needs 125512 MB .*fargate: a task needs 126024 MiB; Fargate's maximum is 16 vCPU \/ 120 GB/,
    );
  });

  test('a GPU model with a team too small for Kubernetes has no feasible target', () => {
    expect(() => decideServing({ ...light, gpu: true, teamSize: 3 }, { highAvailability: true })).toThrow(NoFeasibleTargetError);
  });

  test('a shared cluster lifts the team bar for EKS', () => {
    expect(decideServing({ ...light, gpu: true, teamSize: 1 }, { highAvailability: true, sharedEksClusterName: 'platform' }).target).toBe('eks');
  });

  test('inference slower than the SLO rules out every target', () => {
    expect(() => decideServing({ ...light, computeMsPerInference: 200 }, { highAvailability: true })).toThrow(/one inference takes 200 ms/);
  });
});

describe('cold starts', () => {
  test('provisioned concurrency is priced only when the SLO cannot absorb a cold start', () => {
    const tight = decideServing(light, { highAvailability: true }).options.lambda?.sizing;
    const loose = decideServing({ ...light, p99LatencyMs: 1500 }, { highAvailability: true }).options.lambda?.sizing;
    expect(tight).toMatchObject({ provisionedConcurrency: 3 });
    expect(loose).toMatchObject({ provisionedConcurrency: 0 });
  });
});

describe('flip points', () => {
  test('the choice really changes at each flip point', () => {
    const decision = decideServing(light, { highAvailability: true });
    expect(decision.flipPoints).toEqual([{ monthlyRequests: expect.any(Number), from: 'lambda', to: 'fargate' }]);
    const flip = decision.flipPoints[0].monthlyRequests;
    const scaled = (m: number): TrafficProfile => ({ ...light, monthlyRequests: m, peakRps: (light.peakRps * m) / light.monthlyRequests });
    expect(decideServing(scaled(Math.floor(flip * 0.99)), { highAvailability: true }).target).toBe('lambda');
    expect(decideServing(scaled(flip), { highAvailability: true }).target).toBe('fargate');
  });
});

describe('seed guidance baseline', () => {
  test('the guidance bands by volume and team', () => {
    expect(seedGuidanceTarget(atVolume(heavy, 500_000), false)).toBe('lambda');
    expect(seedGuidanceTarget(atVolume(heavy, 50_000_000), false)).toBe('fargate');
    expect(seedGuidanceTarget(atVolume(heavy, 500_000_000, 8), false)).toBe('eks');
    expect(seedGuidanceTarget(atVolume(heavy, 500_000_000, 3), false)).toBe('fargate');
    expect(seedGuidanceTarget(atVolume(heavy, 50_000_000, 1), false)).toBe('lambda');
  });

  test.each([
    ['heavy', 500_000, 3, 'lambda', heavy, {}],
    ['heavy', 5_000_000, 3, 'fargate', heavy, {}],
    ['heavy', 50_000_000, 3, 'fargate', heavy, {}],
    ['light', 1_500_000_000, 8, 'eks', light, { eksClusterInEnvironment: true }],
  ] as const)('a %s CPU model at %d requests/month (team %d) lands on %s, as the guidance says', (_kind, volume, team, expected, profile, extra) => {
    const decision = decideServing(atVolume(profile, volume, team), { highAvailability: true, ...extra });
    expect(decision.target).toBe(expected);
    expect(decision.seedGuidance).toMatchObject({ applies: true, agrees: true });
  });

  test('a light model at 1.2B requests/month on a cluster (arm64 prices): EKS saves under 5%, so the easier Fargate wins the tie', () => {
    const decision = decideServing(atVolume(light, 1_200_000_000, 8), { highAvailability: true, eksClusterInEnvironment: true, architecture: 'arm64' });
    expect(decision.costs.eks!).toBeLessThan(decision.costs.fargate!);
    expect(decision.target).toBe('fargate');
    expect(decision.reasons[0]).toMatch(/within 5% of the cheapest \(eks/);
  });

  test('a light model stays on Lambda above 1M requests/month, and the decision says why', () => {
    const decision = decideServing({ ...light, monthlyRequests: 5_000_000, peakRps: 10, p99LatencyMs: 1500 }, { highAvailability: true });
    expect(decision.target).toBe('lambda');
    expect(decision.seedGuidance.agrees).toBe(false);
    expect(decision.seedGuidance.explanation).toMatch(
      /the seed guidance says fargate; the cost model prices fargate at \$[\d.,]+\/month against \$[\d.,]+ for lambda/,
    );
  });
});
