import { cpusFromCgroupV1, cpusFromCgroupV2, effectiveCpuCount } from '../../../serving/src/cpu-quota';

describe('CPU quota from cgroups', () => {
  it('parses cgroup v2 cpu.max', () => {
    expect(cpusFromCgroupV2('200000 100000\n')).toBe(2);
    expect(cpusFromCgroupV2('50000 100000')).toBe(0.5);
    expect(cpusFromCgroupV2('max 100000')).toBeUndefined();
  });

  it('parses cgroup v1 quota and period', () => {
    expect(cpusFromCgroupV1('150000\n', '100000\n')).toBe(1.5);
    expect(cpusFromCgroupV1('-1', '100000')).toBeUndefined();
  });

  it('rounds the quota up and caps it by the host CPUs, never below 1', () => {
    const files = (entries: Record<string, string>) => (path: string) => entries[path];
    expect(effectiveCpuCount(files({ '/sys/fs/cgroup/cpu.max': '50000 100000' }), 16)).toBe(1);
    expect(effectiveCpuCount(files({ '/sys/fs/cgroup/cpu.max': '250000 100000' }), 16)).toBe(3);
    expect(effectiveCpuCount(files({ '/sys/fs/cgroup/cpu.max': 'max 100000' }), 4)).toBe(4);
    expect(effectiveCpuCount(files({ '/sys/fs/cgroup/cpu.max': '800000 100000' }), 2)).toBe(2);
    expect(effectiveCpuCount(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '200000', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000' }), 8)).toBe(2);
    expect(effectiveCpuCount(files({}), 6)).toBe(6);
  });
});
