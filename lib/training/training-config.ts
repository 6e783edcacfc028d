import { z } from 'zod';
import { eksTrainingConfigSchema } from './eks-training-config';
import { GATE_COMPARISONS } from './evaluation-gate';

/**
 * The `training` block of an environment (cdk.json): the budget of the environment's GPU training, and one entry per
 * model that is trained. Every object is strict; each rule below is the one SageMaker, EventBridge or the platform
 * enforces, written as the sentence an error message shows.
 */

/** SageMaker GPU training families (NVIDIA): g4dn (T4), g5 (A10G), g6 (L4), g6e (L40S), p3 (V100), p4d/p4de (A100), p5/p5e/p5en (H100/H200). */
const GPU_TRAINING_INSTANCE = /^ml\.(g4dn|g5|g6|g6e|p3|p3dn|p4d|p4de|p5|p5e|p5en)\.\d*x?large$/;
/** An ECR image pinned by digest: a tag can be moved to other code, a digest cannot. */
export const DIGEST_PINNED_ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9][a-z0-9._/-]*@sha256:[a-f0-9]{64}$/;
/** EventBridge schedule expressions. */
const SCHEDULE_EXPRESSION = /^(cron\([^()]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/;
/** SageMaker `MetricDefinition.Name`. */
const METRIC_NAME = /^[a-zA-Z0-9:_.\-/]{1,255}$/;
/** Silver dataset names as the ingest function writes them (`datasets/dataset=<name>/...`). */
const DATASET_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** SageMaker `HyperParameters` keys. */
const HYPERPARAMETER_KEY = /^[a-zA-Z0-9_.:-]{1,256}$/;
/** SageMaker's longest training job: 28 days. */
const MAX_RUNTIME_HOURS = 28 * 24;

const regexWithOneGroup = z
  .string()
  .min(1)
  .max(500)
  .superRefine((source, ctx) => {
    let groups: number;
    try {
      groups = new RegExp(`${source}|`).exec('')!.length - 1;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a regular expression (${(error as Error).message})` });
      return;
    }
    if (groups !== 1) ctx.addIssue({ code: 'custom', message: `must have exactly one capture group (the value SageMaker records); found ${groups}` });
  });

export const metricDefinitionSchema = z.strictObject({
  /** Metric name as SageMaker records it (FinalMetricDataList) and the evaluation report names it, e.g. `validation:auc`. */
  name: z.string().regex(METRIC_NAME, "letters, digits and ':_.-/', 1-255 characters"),
  /** Regular expression over the training log; its one capture group is the value. */
  regex: regexWithOneGroup,
});
export type MetricDefinition = z.infer<typeof metricDefinitionSchema>;

export const evaluationGateSchema = z.strictObject({
  /** The evaluation report metric the gate reads. */
  metric: z.string().regex(METRIC_NAME, "letters, digits and ':_.-/', 1-255 characters"),
  /** How the metric must compare with the threshold to pass. */
  comparison: z.enum(GATE_COMPARISONS),
  threshold: z.number().finite(),
});
export type EvaluationGate = z.infer<typeof evaluationGateSchema>;

export const modelTrainingSchema = z
  .strictObject({
    /** A model of this environment's `models`. */
    model: z.string().min(1),
    /** The silver dataset the trainer reads (`datasets/dataset=<name>/` in the silver bucket). */
    dataset: z.string().regex(DATASET_NAME, 'lower-case letters, digits, hyphens and underscores, 1-63 characters'),
    /** SageMaker GPU training instance type, e.g. `ml.g5.xlarge`. */
    instanceType: z
      .string()
      .regex(
        GPU_TRAINING_INSTANCE,
        'a SageMaker GPU training instance type such as ml.g5.xlarge (families g4dn, g5, g6, g6e, p3, p3dn, p4d, p4de, p5, p5e, p5en)',
      ),
    /** Instances per job; more than one runs distributed (torchrun) with inter-container encryption. */
    instanceCount: z.number().int().min(1).max(64),
    /** Managed spot training (checkpoints make an interruption resume, not restart). */
    spot: z.boolean(),
    /** Longest training time of one job, in hours. */
    maxRuntimeHours: z.number().positive().max(MAX_RUNTIME_HOURS),
    /** Spot only: longest time including waiting for spot capacity, in hours; at least `maxRuntimeHours`. */
    maxWaitHours: z.number().positive().max(MAX_RUNTIME_HOURS).optional(),
    /** Size of each instance's ML storage volume, in GB. */
    volumeSizeGb: z.number().int().min(1).max(16384),
    /** Runs of this model allowed at the same time. */
    maxConcurrentRuns: z.number().int().min(1).max(20),
    /** GPU instance-hours this model may use per calendar month (UTC): billable seconds × instance count of its jobs. */
    monthlyGpuHourCap: z.number().positive(),
    /** EventBridge schedule expression for periodic retraining, e.g. `cron(0 3 ? * MON *)`; omit for drift and on-demand runs only. */
    schedule: z.string().regex(SCHEDULE_EXPRESSION, 'an EventBridge schedule expression such as cron(0 3 ? * MON *) or rate(7 days)').optional(),
    /** The training image, pinned by digest: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex>`. */
    image: z
      .string()
      .regex(DIGEST_PINNED_ECR_IMAGE, 'an ECR image pinned by digest: <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>'),
    /** Hyperparameters passed to the trainer (SageMaker passes strings only). */
    hyperparameters: z
      .record(z.string().regex(HYPERPARAMETER_KEY, "letters, digits and '_.:-', 1-256 characters"), z.string().max(2500))
      .refine((record) => Object.keys(record).length <= 100, 'at most 100 hyperparameters'),
    /** How SageMaker reads metrics from the training log (at most 40). */
    metricDefinitions: z.array(metricDefinitionSchema).min(1).max(40),
    /** The evaluation gate a run must pass to be registered, and a package to be promoted. */
    evaluationGate: evaluationGateSchema,
  })
  .superRefine((training, ctx) => {
    if (training.spot && training.maxWaitHours === undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxWaitHours'], message: 'required with spot: true (the longest wait for spot capacity plus training)' });
    }
    if (!training.spot && training.maxWaitHours !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxWaitHours'],
        message: 'only allowed with spot: true (SageMaker rejects MaxWaitTimeInSeconds without managed spot)',
      });
    }
    if (training.maxWaitHours !== undefined && training.maxWaitHours < training.maxRuntimeHours) {
      ctx.addIssue({ code: 'custom', path: ['maxWaitHours'], message: `must be at least maxRuntimeHours (${training.maxRuntimeHours})` });
    }
    if (training.monthlyGpuHourCap < training.maxRuntimeHours * training.instanceCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['monthlyGpuHourCap'],
        message: `must allow at least one full run: maxRuntimeHours × instanceCount = ${training.maxRuntimeHours * training.instanceCount}`,
      });
    }
    const names = training.metricDefinitions.map((definition) => definition.name);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) ctx.addIssue({ code: 'custom', path: ['metricDefinitions', index, 'name'], message: 'must be unique' });
    });
  });
export type ModelTrainingConfig = z.infer<typeof modelTrainingSchema>;

export const trainingBudgetSchema = z.strictObject({
  /** Monthly SageMaker spend of the environment (resources tagged with its Environment), in USD. */
  monthlyUsd: z.number().positive(),
  /** Who is emailed at 80% of actual and 100% of forecast spend (AWS Budgets allows 10). */
  emails: z.array(z.email('an email address such as ml-platform@example.com')).min(1).max(10),
});
export type TrainingBudget = z.infer<typeof trainingBudgetSchema>;

export const trainingConfigSchema = z
  .strictObject({
    budget: trainingBudgetSchema,
    models: z.array(modelTrainingSchema).min(1),
    /** GPU training capacity on the environment's EKS cluster (lib/training/eks-training-config.ts); omit for SageMaker only. */
    eks: eksTrainingConfigSchema.optional(),
  })
  .superRefine((training, ctx) => {
    const seen = new Set<string>();
    training.models.forEach((model, index) => {
      if (seen.has(model.model)) ctx.addIssue({ code: 'custom', path: ['models', index, 'model'], message: 'must be unique within training.models' });
      seen.add(model.model);
    });
  });
export type TrainingConfig = z.infer<typeof trainingConfigSchema>;

/** Problems where `training` names a model the environment does not have, as [path, message] for the environment's superRefine. */
export function unknownTrainedModels(training: TrainingConfig | undefined, modelNames: readonly string[]): Array<[(string | number)[], string]> {
  return (training?.models ?? []).flatMap((model, index): Array<[(string | number)[], string]> =>
    modelNames.includes(model.model) ? [] : [[['training', 'models', index, 'model'], `must be one of this environment's models (${modelNames.join(', ')})`]],
  );
}

/** Model → evaluation gate of every trained model: what promotion checks (EVALUATION_GATES). */
export function evaluationGatesByModel(training: TrainingConfig | undefined): Record<string, EvaluationGate> {
  return Object.fromEntries((training?.models ?? []).map((model) => [model.model, model.evaluationGate]));
}
