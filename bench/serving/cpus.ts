import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Which CPUs the load generator and the server under test get: one for wrk, the others for the server. */
export interface CpuSplit {
  /** The CPU wrk (and this benchmark process, s3rver included) runs on. */
  readonly load: number;
  /** The CPUs every server under test and the raw onnxruntime measurement run on. */
  readonly server: readonly number[];
}

/** CPUs this process may run on (`Cpus_allowed_list`, e.g. "0-1" or "0,2-3"). */
export function allowedCpus(): number[] {
  const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  return line.split(',').flatMap((range) => {
    const [from, to] = range.split('-').map(Number);
    return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
  });
}

/** The first allowed CPU for the load, the rest for the server; fails with one line on a single-CPU machine. */
export function splitCpus(): CpuSplit {
  const cpus = allowedCpus();
  if (cpus.length < 2) throw new Error(`bench:serving needs at least 2 CPUs (one for wrk, one for the server); this process may use ${cpus.join(',')}`);
  return { load: cpus[0], server: cpus.slice(1) };
}

/** Pins every thread of a running process (this one, with its libuv pool) to the given CPUs. */
export function pinProcess(pid: number, cpus: readonly number[]): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(pid)], { stdio: 'ignore' });
}

/** `taskset -c <cpus>` prefix for a command to start pinned. */
export function pinnedCommand(cpus: readonly number[], command: string, args: readonly string[]): [string, string[]] {
  return ['taskset', ['-c', cpus.join(','), command, ...args]];
}
