import { SECONDS_PER_MONTH, TARGET_UTILIZATION } from './assumptions';
import type { TrafficProfile } from './types';

export function averageRps(profile: TrafficProfile): number {
  return profile.monthlyRequests / SECONDS_PER_MONTH;
}

/** Requests per second one instance serves at the target utilization, given its parallelism (vCPUs or GPUs). */
export function instanceRps(profile: TrafficProfile, parallelism: number): number {
  return ((parallelism * 1000) / profile.computeMsPerInference) * TARGET_UTILIZATION;
}

/** Latency of one inference on an instance with this many vCPUs: a fractional vCPU is a CPU quota that slows it down. */
export function inferenceLatencyMs(profile: TrafficProfile, vcpu: number): number {
  return profile.computeMsPerInference / Math.min(1, vcpu);
}

/** Keeps binary rounding (1200 / 199.99999999999997) from adding an instance. */
const FLOAT_SLACK = 1e-9;

/**
 * The same model at another monthly volume, its peak RPS scaled to keep the peak-to-average ratio
 * (a profile with no monthly traffic keeps its peak).
 */
export function atMonthlyVolume(profile: TrafficProfile, monthlyRequests: number): TrafficProfile {
  const peakRps = profile.monthlyRequests > 0 ? (profile.peakRps * monthlyRequests) / profile.monthlyRequests : profile.peakRps;
  return { ...profile, monthlyRequests, peakRps };
}

/** Instances needed for a request rate, never fewer than the minimum. */
export function instancesFor(rps: number, perInstanceRps: number, minimum: number): number {
  return Math.max(minimum, Math.ceil(rps / perInstanceRps - FLOAT_SLACK));
}

/**
 * Time-averaged instances over the month: autoscaling follows the daily curve, so the average count is the
 * average rate over one instance's rate (rounded up to 0.01), never below the minimum.
 */
export function averageInstancesFor(rps: number, perInstanceRps: number, minimum: number): number {
  return Math.max(minimum, Math.ceil((rps / perInstanceRps) * 100 - FLOAT_SLACK) / 100);
}
