import type { z } from 'zod';
import { SECONDS_PER_MONTH } from '../decision/assumptions';

interface TrafficFigures {
  readonly monthlyRequests: number;
  readonly peakRps: number;
  readonly p99LatencyMs: number;
  readonly computeMsPerInference: number;
  readonly gpu: boolean;
}

/**
 * Figures of one traffic profile that contradict each other (each is valid alone): a p99 objective below the time
 * one inference takes, and a peak below the month's average rate (capacity sized for it would throttle).
 */
export function checkTrafficConsistency(traffic: TrafficFigures, ctx: z.RefinementCtx): void {
  if (traffic.p99LatencyMs < traffic.computeMsPerInference) {
    ctx.addIssue({
      code: 'custom',
      path: ['p99LatencyMs'],
      message: `must be at least computeMsPerInference (${traffic.computeMsPerInference} ms): one inference alone takes longer than the objective`,
    });
  }
  const averageRps = traffic.monthlyRequests / SECONDS_PER_MONTH;
  if (traffic.peakRps < averageRps) {
    ctx.addIssue({
      code: 'custom',
      path: ['peakRps'],
      message:
        `must be at least the average rate of monthlyRequests (${traffic.monthlyRequests} over a ${SECONDS_PER_MONTH / 3600}-hour month = ` +
        `${averageRps.toFixed(2)} RPS): capacity sized for a lower peak would throttle`,
    });
  }
}

/** A forced target the model's own profile rules out: only EKS has GPU nodes. */
export function checkForcedTarget(model: { readonly traffic: TrafficFigures; readonly forceTarget?: string }, ctx: z.RefinementCtx): void {
  if (model.traffic.gpu && model.forceTarget !== undefined && model.forceTarget !== 'eks') {
    ctx.addIssue({
      code: 'custom',
      path: ['forceTarget'],
      message: 'a model with traffic.gpu true can only be served on eks (Lambda and Fargate have no GPU)',
    });
  }
}
