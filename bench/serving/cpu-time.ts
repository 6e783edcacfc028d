import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcessCpu {
  /** CPU seconds of the whole process (every thread: event loop, workers, onnxruntime's pool). */
  readonly totalSeconds: number;
  /** CPU seconds of the main thread (the event loop) alone. */
  readonly mainThreadSeconds: number;
}

/** CPU time another process has used so far, from /proc (10 ms resolution: measure over seconds). */
export function processCpu(pid: number): ProcessCpu {
  return { totalSeconds: ticks(`/proc/${pid}/stat`), mainThreadSeconds: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

function ticks(statPath: string): number {
  // Fields after the parenthesised command name: utime and stime are fields 14 and 15 of stat.
  const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds this process has used so far (all threads). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
