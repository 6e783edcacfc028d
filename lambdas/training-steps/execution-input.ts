import { z } from 'zod';
import { RUN_ID_PATTERN } from '../../lib/training';

/**
 * The input of one training execution, as start-training writes it (and as a team may write it by hand):
 * `{"runId": "manual-0123456789", "trigger": "manual"}` plus optional overrides.
 */
export const executionInputSchema = z.strictObject({
  /** From `runIdentity` (lib/training): names the run's S3 prefixes, job and tags. */
  runId: z.string().regex(RUN_ID_PATTERN, 'a run id such as manual-0123456789 (<schedule|drift|manual>-<10 hex digits>, see lib/training/run-identity.ts)'),
  trigger: z.enum(['schedule', 'drift', 'manual']),
  /** What to train on; must lie under the model's dataset prefix. @default the whole dataset */
  trainingDataUri: z.string().optional(),
  /** Overrides of configured hyperparameters (strings, as SageMaker passes them). */
  hyperparameters: z.record(z.string().regex(/^[a-zA-Z0-9_.:-]{1,256}$/, "letters, digits and '_.:-'"), z.string().max(2500)).optional(),
  /** The commit of the training code, recorded as MetadataProperties.CommitId. @default "unknown" */
  commitId: z
    .string()
    .regex(/^[0-9a-zA-Z._/-]{1,1024}$/, 'a commit id such as a git SHA')
    .optional(),
  /** Why the run was started (drift detection id, schedule time), kept in the package's metadata. */
  reason: z.string().max(256).optional(),
});
export type ExecutionInput = z.infer<typeof executionInputSchema>;
