import { FLIP_SEARCH_MAX_MONTHLY_REQUESTS, FLIP_SEARCH_MIN_MONTHLY_REQUESTS, FLIP_SEARCH_STEPS_PER_DECADE } from './assumptions';
import { chooseTarget } from './choose-target';
import { NoFeasibleTargetError } from './errors';
import { evaluateTargets } from './evaluate-targets';
import { atMonthlyVolume } from './traffic';
import type { DecisionContext, FlipPoint, ServingTarget, TrafficProfile } from './types';

type Outcome = ServingTarget | 'none';

/** The recommended target for this model at another monthly volume. */
export function recommendationAt(profile: TrafficProfile, context: DecisionContext, monthlyRequests: number): Outcome {
  try {
    return chooseTarget(evaluateTargets(atMonthlyVolume(profile, monthlyRequests), context)).target;
  } catch (error) {
    if (error instanceof NoFeasibleTargetError) return 'none';
    throw error;
  }
}

function logGrid(): number[] {
  const decades = Math.log10(FLIP_SEARCH_MAX_MONTHLY_REQUESTS / FLIP_SEARCH_MIN_MONTHLY_REQUESTS);
  const steps = Math.round(decades * FLIP_SEARCH_STEPS_PER_DECADE);
  return Array.from({ length: steps + 1 }, (_, i) => Math.round(FLIP_SEARCH_MIN_MONTHLY_REQUESTS * 10 ** (i / FLIP_SEARCH_STEPS_PER_DECADE)));
}

/**
 * The monthly volumes (peak RPS scaled with them) at which the recommendation changes, from a log grid
 * refined by bisection to within 0.1%. Two changes inside one grid step (a factor of ~1.33) would show as one.
 */
export function findFlipPoints(profile: TrafficProfile, context: DecisionContext): FlipPoint[] {
  const at = (volume: number): Outcome => recommendationAt(profile, context, volume);
  const grid = logGrid();
  const flips: FlipPoint[] = [];
  let low = grid[0];
  let lowOutcome = at(low);
  for (const high of grid.slice(1)) {
    const highOutcome = at(high);
    if (highOutcome !== lowOutcome) {
      let below = low;
      let above = high;
      while (above - below > Math.max(1, below * 0.001)) {
        const middle = Math.floor((below + above) / 2);
        if (at(middle) === lowOutcome) below = middle;
        else above = middle;
      }
      flips.push({ monthlyRequests: above, from: lowOutcome, to: at(above) });
    }
    low = high;
    lowOutcome = highOutcome;
  }
  return flips;
}
