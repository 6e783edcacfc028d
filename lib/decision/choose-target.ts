import { COST_TIE_TOLERANCE, OPERATING_BURDEN_ORDER } from './assumptions';
import { NoFeasibleTargetError } from './errors';
import type { TargetEvaluations } from './evaluate-targets';
import type { ServingTarget, TargetOption } from './types';

export interface Choice {
  readonly target: ServingTarget;
  readonly reasons: readonly string[];
}

export function formatUsd(usd: number): string {
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The cheapest eligible target; among those within the tie tolerance of the cheapest, the least operating burden. */
export function chooseTarget({ options, rejected }: TargetEvaluations): Choice {
  const excluded = new Set(rejected.map((r) => r.target));
  const eligible = OPERATING_BURDEN_ORDER.map((target) => options[target]).filter(
    (option): option is TargetOption => option !== undefined && !excluded.has(option.target),
  );
  if (eligible.length === 0) throw new NoFeasibleTargetError(rejected);

  const cheapest = eligible.reduce((best, option) => (option.cost.totalUsd < best.cost.totalUsd ? option : best));
  // `eligible` is in burden order, so the first option inside the tie band is the easiest to operate.
  const chosen = eligible.find((option) => option.cost.totalUsd <= cheapest.cost.totalUsd * (1 + COST_TIE_TOLERANCE)) ?? cheapest;

  const others = eligible.filter((option) => option !== chosen).map((option) => `${option.target} ${formatUsd(option.cost.totalUsd)}`);
  const reasons = [
    chosen === cheapest
      ? `${chosen.target} is the cheapest eligible target at ${formatUsd(chosen.cost.totalUsd)}/month${others.length ? ` (vs ${others.join(', ')})` : ''}`
      : `${chosen.target} at ${formatUsd(chosen.cost.totalUsd)}/month is within ${COST_TIE_TOLERANCE * 100}% of the cheapest (${cheapest.target} ${formatUsd(cheapest.cost.totalUsd)}) and is easier to operate`,
    ...chosen.notes,
  ];
  return { target: chosen.target, reasons };
}
