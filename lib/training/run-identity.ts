import { createHash } from 'node:crypto';

/**
 * What started a training run. Each trigger maps to one deterministic execution name, so a redelivered event (or a
 * retried invocation) names the same execution and Step Functions starts it once.
 */
export type TrainingTrigger =
  | { readonly kind: 'schedule'; /** The scheduled time of the EventBridge event (its `time`). */ readonly scheduledTime: string }
  | { readonly kind: 'drift'; /** `detectionId` of the DriftDetected event. */ readonly detectionId: string }
  | { readonly kind: 'manual'; /** Chosen by the caller; the same id never starts a second run. */ readonly requestId: string };

export interface RunIdentity {
  /** Step Functions execution name: 1-80 characters of letters, digits, '-' and '_'. */
  readonly executionName: string;
  /**
   * The run's id in S3 keys, tags and the training job name (`<model>-<runId>`): `<kind>-<12 hex>`, at most 21
   * characters, so the job name stays within SageMaker's 63 for any model name of up to 40.
   */
  readonly runId: string;
}

const UNSAFE = /[^A-Za-z0-9_-]+/g;

function triggerValue(trigger: TrainingTrigger): string {
  switch (trigger.kind) {
    case 'schedule':
      return trigger.scheduledTime;
    case 'drift':
      return trigger.detectionId;
    case 'manual':
      return trigger.requestId;
  }
}

/**
 * The run identity of a trigger for one model of one environment. The readable part of the execution name is the
 * trigger's value with unsafe characters replaced; the hash of environment, model, kind and the exact value keeps names
 * that sanitize alike apart, and keeps job names of environments sharing an account apart.
 */
export function runIdentity(environment: string, model: string, trigger: TrainingTrigger): RunIdentity {
  const value = triggerValue(trigger);
  const hash = createHash('sha256').update(JSON.stringify([environment, model, trigger.kind, value])).digest('hex').slice(0, 12);
  const readable = value.replace(UNSAFE, '-').slice(0, 80 - trigger.kind.length - hash.length - 2);
  return { executionName: `${trigger.kind}-${readable}-${hash}`, runId: `${trigger.kind}-${hash}` };
}

/** The SageMaker training job name of a run. */
export function trainingJobName(model: string, runId: string): string {
  return `${model}-${runId}`;
}
