/**
 * Guardrails applied before a training run starts. Pure: the handler gathers the figures, these decide. Each refusal
 * names the limit, the figure that hit it and where the limit is configured.
 */

export type GuardrailDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly limit: 'concurrency' | 'monthly-gpu-hours'; readonly reason: string };

export interface GuardrailInputs {
  readonly model: string;
  /** Executions of this model's state machine that are running now. */
  readonly runningExecutions: number;
  readonly maxConcurrentRuns: number;
  /** GPU instance-hours this model's jobs used this month (see `gpuHoursUsed`). */
  readonly gpuHoursUsedThisMonth: number;
  /** The most one more run can use: maxRuntimeHours × instanceCount. */
  readonly gpuHoursPerRun: number;
  readonly monthlyGpuHourCap: number;
}

/** Refuses when `maxConcurrentRuns` executions are already running. */
export function checkConcurrency(inputs: Pick<GuardrailInputs, 'model' | 'runningExecutions' | 'maxConcurrentRuns'>): GuardrailDecision {
  if (inputs.runningExecutions < inputs.maxConcurrentRuns) return { allowed: true };
  return {
    allowed: false,
    limit: 'concurrency',
    reason:
      `concurrency limit: ${inputs.runningExecutions} run(s) of ${inputs.model} already running, ` +
      `maxConcurrentRuns is ${inputs.maxConcurrentRuns} (training.models[].maxConcurrentRuns)`,
  };
}

/**
 * Refuses when one more run could take the month past the cap: the run is counted at its worst case (it may train for
 * `maxRuntimeHours` on every instance), so the cap holds whatever the run does.
 */
export function checkGpuHourCap(inputs: Pick<GuardrailInputs, 'model' | 'gpuHoursUsedThisMonth' | 'gpuHoursPerRun' | 'monthlyGpuHourCap'>): GuardrailDecision {
  if (inputs.gpuHoursUsedThisMonth + inputs.gpuHoursPerRun <= inputs.monthlyGpuHourCap) return { allowed: true };
  return {
    allowed: false,
    limit: 'monthly-gpu-hours',
    reason:
      `monthly GPU-hour cap: ${inputs.model} used ${round(inputs.gpuHoursUsedThisMonth)} GPU instance-hours this month and one more run may use ` +
      `${round(inputs.gpuHoursPerRun)}, over monthlyGpuHourCap ${inputs.monthlyGpuHourCap} (training.models[].monthlyGpuHourCap)`,
  };
}

/** Concurrency first (a run may start later today), then the monthly cap. */
export function checkGuardrails(inputs: GuardrailInputs): GuardrailDecision {
  const concurrency = checkConcurrency(inputs);
  return concurrency.allowed ? checkGpuHourCap(inputs) : concurrency;
}

function round(hours: number): number {
  return Math.round(hours * 100) / 100;
}
