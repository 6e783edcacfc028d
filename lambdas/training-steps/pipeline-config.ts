import { z } from 'zod';
import { DIGEST_PINNED_ECR_IMAGE, evaluationGateSchema } from '../../lib/training';

/** PIPELINE_CONFIG: what the construct tells the steps function about its one model's pipeline. */
export const pipelineConfigSchema = z.strictObject({
  environment: z.string().min(1),
  model: z.string().min(1),
  /** Bucket and prefix the training data must lie under (the model's silver dataset). */
  inputBucket: z.string().min(1),
  inputPrefix: z.string().min(1),
  /** Bucket of the run outputs (gold). */
  outputBucket: z.string().min(1),
  image: z.string().regex(DIGEST_PINNED_ECR_IMAGE),
  /** The configured hyperparameters; an execution may override some. */
  hyperparameters: z.record(z.string(), z.string()),
  evaluationGate: evaluationGateSchema,
});
export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

export function parsePipelineConfig(text: string): PipelineConfig {
  const parsed = pipelineConfigSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`PIPELINE_CONFIG is not a pipeline config: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}
