import { z } from 'zod';

/** START_TRAINING_CONFIG: per trained model, its state machine and the limits the guardrails apply. */
export const startTrainingConfigSchema = z.strictObject({
  environment: z.string().min(1),
  models: z.record(
    z.string().min(1),
    z.strictObject({
      stateMachineArn: z.string().startsWith('arn:'),
      maxConcurrentRuns: z.number().int().positive(),
      monthlyGpuHourCap: z.number().positive(),
      /** maxRuntimeHours × instanceCount: the most one run can use. */
      gpuHoursPerRun: z.number().positive(),
    }),
  ),
});
export type StartTrainingConfig = z.infer<typeof startTrainingConfigSchema>;
export type ModelStartConfig = StartTrainingConfig['models'][string];

export function parseStartTrainingConfig(text: string): StartTrainingConfig {
  const parsed = startTrainingConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`START_TRAINING_CONFIG is not a start-training config: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}
