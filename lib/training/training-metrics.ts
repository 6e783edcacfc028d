/**
 * Every metric name of GPU training, in one place for the functions that emit them and the dashboards and alarms that
 * read them. Custom metrics are EMF from the platform functions (namespace `MlopsBlueprint`, dimension `service`,
 * plus `model`); execution counts and durations are Step Functions' own (namespace `AWS/States`, dimension
 * `StateMachineArn`).
 */

/** The `service` dimension of each training function. */
export const TRAINING_SERVICES = {
  startTraining: 'start-training',
  trainingSteps: 'training-steps',
} as const;

/** The dimension naming the trained model on every custom training metric (besides Powertools' `service`). */
export const TRAINING_MODEL_DIMENSION = 'model';

/** Name of a model's training state machine: what its `AWS/States` metrics carry in their StateMachineArn dimension. */
export function trainingStateMachineName(environment: string, model: string): string {
  return `mlops-${environment}-training-${model}`;
}

/** Emitted by start-training, per trigger, with a `model` dimension. */
export const START_TRAINING_METRICS = {
  /** A run was started. */
  runsStarted: 'TrainingRunsStarted',
  /** A guardrail refused a run (concurrency or the monthly GPU-hour cap; the log line says which). */
  runsRefused: 'TrainingRunsRefused',
  /** A trigger named a run that already exists (redelivered event, repeated request): nothing started. */
  duplicateTriggers: 'TrainingDuplicateTriggers',
  /** GPU instance-hours this model's jobs used this month when the trigger arrived. */
  gpuHoursThisMonth: 'TrainingGpuHoursThisMonth',
} as const;

/** Emitted by the pipeline's steps function, with a `model` dimension. */
export const TRAINING_STEP_METRICS = {
  /** A run's evaluation report missed the gate: the run ends, nothing is registered. */
  gateFailures: 'EvaluationGateFailures',
  /** A run passed the gate and goes on to registration. */
  gatePasses: 'EvaluationGatePasses',
  /** The input failed validation (dataset outside the lakehouse, no objects, bad hyperparameters). */
  invalidInputs: 'TrainingInvalidInputs',
} as const;

/** Step Functions' metrics of the training state machines (namespace AWS/States, dimension StateMachineArn). */
export const TRAINING_EXECUTION_METRICS = {
  namespace: 'AWS/States',
  dimension: 'StateMachineArn',
  started: 'ExecutionsStarted',
  succeeded: 'ExecutionsSucceeded',
  failed: 'ExecutionsFailed',
  timedOut: 'ExecutionsTimedOut',
  aborted: 'ExecutionsAborted',
  /** Milliseconds from start to end of an execution: the run's duration, training included. */
  duration: 'ExecutionTime',
} as const;
