import { chooseTarget, type Choice } from './choose-target';
import { ForcedTargetInfeasibleError, NoFeasibleTargetError } from './errors';
import { evaluateTargets, SERVING_TARGETS, type TargetEvaluations } from './evaluate-targets';
import { findFlipPoints } from './flip-points';
import { compareWithSeedGuidance } from './seed-guidance';
import type { DecisionContext, ServingDecision, ServingTarget, TrafficProfile } from './types';

function roundToCents(usd: number | undefined): number | null {
  return usd === undefined ? null : Math.round(usd * 100) / 100;
}

/** A forced target may override the team constraint even when no target is eligible without it. */
function chooseWithOverride(evaluations: TargetEvaluations, context: DecisionContext): Choice {
  try {
    return chooseTarget(evaluations);
  } catch (error) {
    const forced = context.forceTarget;
    if (!(error instanceof NoFeasibleTargetError) || forced === undefined || !evaluations.options[forced]) throw error;
    return { target: forced, reasons: [`no target is eligible without the override; ${forced} meets every hard limit`, ...evaluations.options[forced].notes] };
  }
}

/**
 * Decides where one model is served: hard limits first, then the team constraint, then the cheapest
 * target (close costs go to the target that is easier to operate). Pure and deterministic.
 *
 * @throws NoFeasibleTargetError when no target meets the hard limits and the team constraint
 * @throws ForcedTargetInfeasibleError when `forceTarget` breaks a hard limit
 */
export function decideServing(profile: TrafficProfile, context: DecisionContext): ServingDecision {
  const evaluations = evaluateTargets(profile, context);
  const { options, rejected } = evaluations;
  const choice = chooseWithOverride(evaluations, context);
  const reasons = [...choice.reasons];
  if (context.highAvailability) reasons.push('high availability: at least two instances across availability zones (Lambda is multi-AZ by design)');

  let target = choice.target;
  const forced = context.forceTarget !== undefined;
  if (context.forceTarget !== undefined) {
    const hardLimits = rejected.filter((r) => r.target === context.forceTarget && r.kind === 'hard-limit').map((r) => r.reason);
    if (hardLimits.length > 0) throw new ForcedTargetInfeasibleError(context.forceTarget, hardLimits);
    target = context.forceTarget;
    if (target !== choice.target) reasons.unshift(`forced to ${target} by configuration (forceTarget); the matrix recommends ${choice.target}`);
  }

  const costs = Object.fromEntries(SERVING_TARGETS.map((t) => [t, roundToCents(options[t]?.cost.totalUsd)])) as Record<ServingTarget, number | null>;
  return {
    target,
    recommendedTarget: choice.target,
    forced,
    costs,
    options,
    reasons,
    rejected,
    flipPoints: findFlipPoints(profile, context),
    seedGuidance: compareWithSeedGuidance(profile, context.sharedEksClusterName !== undefined, choice.target, options, rejected),
  };
}
