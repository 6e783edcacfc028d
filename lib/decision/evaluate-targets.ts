import { MIN_TEAM_SIZE } from './assumptions';
import { evaluateEks } from './eks-option';
import { evaluateFargate } from './fargate-option';
import { evaluateLambda } from './lambda-option';
import type { DecisionContext, Rejection, ServingTarget, TargetEvaluation, TargetOption, TrafficProfile } from './types';

export const SERVING_TARGETS: readonly ServingTarget[] = ['lambda', 'fargate', 'eks'];

export interface TargetEvaluations {
  /** Targets that meet every hard limit, sized and priced (team constraint not applied). */
  readonly options: Partial<Record<ServingTarget, TargetOption>>;
  readonly rejected: readonly Rejection[];
}

const EVALUATORS: Record<ServingTarget, (profile: TrafficProfile, context: DecisionContext) => TargetEvaluation> = {
  lambda: evaluateLambda,
  fargate: evaluateFargate,
  eks: evaluateEks,
};

function teamRejection(target: ServingTarget, profile: TrafficProfile, context: DecisionContext): Rejection | undefined {
  if (target === 'eks' && context.sharedEksClusterName) return undefined;
  const needed = MIN_TEAM_SIZE[target];
  if (profile.teamSize >= needed) return undefined;
  const lift = target === 'eks' ? ' (or a shared cluster run by another team)' : '';
  return { target, kind: 'team', reason: `a team of ${profile.teamSize} is below the ${needed} people this target needs to operate${lift}` };
}

/** Checks every target's hard limits and the team constraint; sizes and prices the targets that meet the hard limits. */
export function evaluateTargets(profile: TrafficProfile, context: DecisionContext): TargetEvaluations {
  const options: Partial<Record<ServingTarget, TargetOption>> = {};
  const rejected: Rejection[] = [];
  for (const target of SERVING_TARGETS) {
    const evaluation = EVALUATORS[target](profile, context);
    if (evaluation.feasible) options[target] = evaluation.option;
    else rejected.push(...evaluation.violations.map((reason) => ({ target, kind: 'hard-limit' as const, reason })));
    const team = teamRejection(target, profile, context);
    if (team) rejected.push(team);
  }
  return { options, rejected };
}
