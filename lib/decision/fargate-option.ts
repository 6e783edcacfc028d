import { SERVING_IMAGE_ARCHITECTURE } from './serving-architecture';
import { FARGATE_MAX_TASK_MIB, FARGATE_SIDECAR_MIB, FARGATE_SIDECAR_VCPU, HOURS_PER_MONTH, RUNTIME_OVERHEAD_MB, TARGET_UTILIZATION } from './assumptions';
import { FARGATE_TASK_SIZES } from './capacity-catalog';
import { costLine, monthlyCost } from './cost-lines';
import { loadBalancerLines } from './load-balancer-cost';
import { averageRps, inferenceLatencyMs, instanceRps, instancesFor, averageInstancesFor } from './traffic';
import type { DecisionContext, FargateSizing, TargetEvaluation, TargetOption, TrafficProfile } from './types';

const PRICE_IDS = {
  arm64: { vcpu: 'fargateVcpuArm', gb: 'fargateGbArm' },
  x86_64: { vcpu: 'fargateVcpuX86', gb: 'fargateGbX86' },
} as const;

function optionForTaskSize(
  profile: TrafficProfile,
  context: DecisionContext,
  vcpu: number,
  allowedMemoryMiB: readonly number[],
): TargetOption<FargateSizing> | undefined {
  const appVcpu = vcpu - FARGATE_SIDECAR_VCPU;
  const appMemoryMiB = profile.memoryMb + RUNTIME_OVERHEAD_MB;
  const taskMemoryMiB = allowedMemoryMiB.find((mib) => mib >= appMemoryMiB + FARGATE_SIDECAR_MIB);
  if (appVcpu <= 0 || taskMemoryMiB === undefined) return undefined;
  if (inferenceLatencyMs(profile, appVcpu) > profile.p99LatencyMs) return undefined;

  const architecture = context.architecture ?? SERVING_IMAGE_ARCHITECTURE;
  const perTaskRps = instanceRps(profile, appVcpu);
  const minTasks = context.highAvailability ? 2 : 1;
  const pricedTasks = averageInstancesFor(averageRps(profile), perTaskRps, minTasks);
  const maxTasks = instancesFor(profile.peakRps, perTaskRps, minTasks);
  const taskHours = pricedTasks * HOURS_PER_MONTH;
  const taskGb = taskMemoryMiB / 1024;
  const prices = PRICE_IDS[architecture];

  const lines = [
    costLine(`task vCPU (${pricedTasks} tasks x ${vcpu} vCPU x ${HOURS_PER_MONTH} h)`, taskHours * vcpu, 'vCPU-h', prices.vcpu),
    costLine(`task memory (${pricedTasks} tasks x ${taskGb} GB x ${HOURS_PER_MONTH} h)`, taskHours * taskGb, 'GB-h', prices.gb),
    ...loadBalancerLines(profile, { kind: 'alb', ownLoadBalancer: true }),
  ];
  const sizing: FargateSizing = {
    target: 'fargate',
    architecture,
    taskCpuUnits: vcpu * 1024,
    taskMemoryMiB,
    appCpuUnits: appVcpu * 1024,
    appMemoryMiB: taskMemoryMiB - FARGATE_SIDECAR_MIB,
    sidecarCpuUnits: FARGATE_SIDECAR_VCPU * 1024,
    sidecarMemoryMiB: FARGATE_SIDECAR_MIB,
    minTasks,
    maxTasks,
    pricedTasks,
    targetRequestsPerTaskPerMinute: Math.max(1, Math.floor(perTaskRps * 60)),
    targetCpuUtilizationPercent: TARGET_UTILIZATION * 100,
  };
  const notes = [
    `each task serves ~${perTaskRps.toFixed(1)} RPS at ${TARGET_UTILIZATION * 100}% utilization (${appVcpu} vCPU for the model, ${FARGATE_SIDECAR_VCPU} vCPU for the ADOT sidecar)`,
  ];
  return { target: 'fargate', sizing, cost: monthlyCost(lines), notes };
}

export function evaluateFargate(profile: TrafficProfile, context: DecisionContext): TargetEvaluation<FargateSizing> {
  const violations: string[] = [];
  const taskMemoryNeeded = profile.memoryMb + RUNTIME_OVERHEAD_MB + FARGATE_SIDECAR_MIB;
  if (profile.gpu) violations.push('needs a GPU; Fargate has none');
  if (taskMemoryNeeded > FARGATE_MAX_TASK_MIB) violations.push(`a task needs ${taskMemoryNeeded} MiB; Fargate's maximum is 16 vCPU / 120 GB`);
  if (profile.computeMsPerInference > profile.p99LatencyMs)
    violations.push(`one inference takes ${profile.computeMsPerInference} ms on one vCPU, above the p99 SLO of ${profile.p99LatencyMs} ms`);
  if (violations.length > 0) return { feasible: false, target: 'fargate', violations };

  let best: TargetOption<FargateSizing> | undefined;
  for (const size of FARGATE_TASK_SIZES) {
    const option = optionForTaskSize(profile, context, size.vcpu, size.memoryMiB);
    // Ascending task sizes and a strict comparison: on equal cost the smaller task wins (finer scaling steps).
    if (option && (!best || option.cost.totalUsd < best.cost.totalUsd)) best = option;
  }
  if (!best) return { feasible: false, target: 'fargate', violations: ['no valid Fargate task size fits the memory and latency needs'] };
  return { feasible: true, option: best };
}
