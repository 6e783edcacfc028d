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
   * The run's id in S3 keys, tags and the training job name (`<model>-<runId>-<attempt>`): `<kind>-<10 hex>`, at most
   * 19 characters, so the job name stays within SageMaker's 63 for any model name of up to 40.
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
  const hash = createHash('sha256')
    .update(JSON.stringify([environment, model, trigger.kind, value]))
    .digest('hex')
    .slice(0, 10);
  const readable = value.replace(UNSAFE, '-').slice(0, 80 - trigger.kind.length - hash.length - 2);
  return { executionName: `${trigger.kind}-${readable}-${hash}`, runId: `${trigger.kind}-${hash}` };
}

/** Run ids as `runIdentity` makes them; the pipeline refuses any other. */
export const RUN_ID_PATTERN = /^(schedule|drift|manual)-[0-9a-f]{10}$/;

/**
 * The SageMaker training job name of a run's attempt. Job names are never reused, so the pipeline's retry of a failed
 * create uses the next attempt number (Step Functions' `$$.State.RetryCount`).
 */
export function trainingJobName(model: string, runId: string, attempt: number): string {
  return `${model}-${runId}-${attempt}`;
}
