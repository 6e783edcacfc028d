/** One training job as the GPU-hour count needs it (from SageMaker Search / DescribeTrainingJob). */
export interface TrainingJobUsage {
  readonly instanceCount: number;
  /** Set by SageMaker once the job ended (for spot, the time actually billed). */
  readonly billableTimeInSeconds?: number;
  /** When the job started training; absent while it waits for capacity. */
  readonly trainingStartTime?: Date;
  readonly trainingEndTime?: Date;
}

/**
 * GPU instance-hours of a model's jobs: billable seconds × instance count. A job still running has no billable time
 * yet, so it counts from its start until `now` (or its end), which is what it will at least be billed.
 */
export function gpuHoursUsed(jobs: readonly TrainingJobUsage[], now: Date): number {
  const seconds = jobs.reduce((total, job) => total + jobSeconds(job, now) * job.instanceCount, 0);
  return seconds / 3600;
}

function jobSeconds(job: TrainingJobUsage, now: Date): number {
  if (job.billableTimeInSeconds !== undefined) return Math.max(0, job.billableTimeInSeconds);
  if (job.trainingStartTime === undefined) return 0;
  const end = job.trainingEndTime ?? now;
  return Math.max(0, (end.getTime() - job.trainingStartTime.getTime()) / 1000);
}

/** The first instant of `now`'s calendar month, UTC: the cap is per calendar month like the bill. */
export function startOfMonthUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
