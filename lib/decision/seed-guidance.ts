import { MIN_TEAM_SIZE, SEED_ECS_MAX_MONTHLY_REQUESTS, SEED_LAMBDA_MAX_MONTHLY_REQUESTS, SEED_SHARP_PEAK_RATIO } from './assumptions';
import { formatUsd } from './choose-target';
import { averageRps } from './traffic';
import type { Rejection, SeedGuidance, ServingTarget, TargetOption, TrafficProfile } from './types';

/**
 * The seed guidance, as a sanity baseline: under ~1M requests/month Lambda; 1M-100M ECS (Fargate);
 * above 100M, or sharp peaks, Kubernetes when the team can run it. A team too small for the
 * suggested target steps down to the next one it can run.
 */
export function seedGuidanceTarget(profile: TrafficProfile, hasSharedCluster: boolean): ServingTarget {
  const average = averageRps(profile);
  const sharpPeaks = average > 0 && profile.peakRps / average >= SEED_SHARP_PEAK_RATIO;
  let target: ServingTarget;
  if (profile.monthlyRequests < SEED_LAMBDA_MAX_MONTHLY_REQUESTS && !sharpPeaks) target = 'lambda';
  else if (profile.monthlyRequests <= SEED_ECS_MAX_MONTHLY_REQUESTS && !sharpPeaks) target = 'fargate';
  else target = 'eks';
  if (target === 'eks' && profile.teamSize < MIN_TEAM_SIZE.eks && !hasSharedCluster) target = 'fargate';
  if (target === 'fargate' && profile.teamSize < MIN_TEAM_SIZE.fargate) target = 'lambda';
  return target;
}

/** Compares the cost model's choice with the seed guidance and says why they differ. */
export function compareWithSeedGuidance(
  profile: TrafficProfile,
  hasSharedCluster: boolean,
  chosen: ServingTarget,
  options: Partial<Record<ServingTarget, TargetOption>>,
  rejected: readonly Rejection[],
): SeedGuidance {
  const target = seedGuidanceTarget(profile, hasSharedCluster);
  const applies = !profile.gpu;
  if (!applies) {
    return { applies, target, agrees: target === chosen, explanation: 'the seed guidance does not cover GPU models: only EKS GPU nodes can serve them' };
  }
  if (target === chosen) return { applies, target, agrees: true, explanation: `the seed guidance also says ${target}` };
  const rejection = rejected.find((r) => r.target === target);
  const seedOption = options[target];
  const chosenCost = options[chosen]?.cost.totalUsd;
  let explanation: string;
  if (rejection) explanation = `the seed guidance says ${target}, but ${target} is rejected: ${rejection.reason}`;
  else if (seedOption && chosenCost !== undefined) {
    explanation = `the seed guidance says ${target}; the cost model prices ${target} at ${formatUsd(seedOption.cost.totalUsd)}/month against ${formatUsd(chosenCost)} for ${chosen}`;
  } else explanation = `the seed guidance says ${target}; the cost model picks ${chosen}`;
  return { applies, target, agrees: false, explanation };
}
