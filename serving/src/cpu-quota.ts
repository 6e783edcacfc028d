import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** CPUs granted by a cgroup v2 `cpu.max` line ("200000 100000" → 2; "max 100000" → unlimited). */
export function cpusFromCgroupV2(cpuMax: string): number | undefined {
  const [quota, period] = cpuMax.trim().split(/\s+/);
  if (quota === undefined || quota === 'max' || period === undefined) return undefined;
  const cpus = Number(quota) / Number(period);
  return Number.isFinite(cpus) && cpus > 0 ? cpus : undefined;
}

/** CPUs granted by cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us` (quota -1 → unlimited). */
export function cpusFromCgroupV1(quotaUs: string, periodUs: string): number | undefined {
  const quota = Number(quotaUs.trim());
  const period = Number(periodUs.trim());
  if (!(quota > 0) || !(period > 0)) return undefined;
  return quota / period;
}

type ReadText = (path: string) => string | undefined;

const readIfExists: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * CPUs this container may really use: the cgroup quota (v2, then v1) rounded up, capped by
 * the CPUs the process can be scheduled on. A Fargate task with 0.5 vCPU gets 1, not the host's count.
 */
export function effectiveCpuCount(read: ReadText = readIfExists, hostCpus: number = availableParallelism()): number {
  const v2 = read('/sys/fs/cgroup/cpu.max');
  let quota = v2 === undefined ? undefined : cpusFromCgroupV2(v2);
  if (v2 === undefined) {
    const quotaUs = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us');
    const periodUs = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us');
    if (quotaUs !== undefined && periodUs !== undefined) quota = cpusFromCgroupV1(quotaUs, periodUs);
  }
  return Math.max(1, Math.min(hostCpus, quota === undefined ? hostCpus : Math.ceil(quota)));
}
