import { z } from 'zod';
import { DRIFT_DETECTED_DETAIL_TYPE, driftDetectedEventSchema, PLATFORM_EVENT_SOURCE } from '../../lib/events';
import type { TrainingTrigger } from '../../lib/training';

/** The scheduled rule's input: `time` is the scheduled time of the EventBridge event, equal on redelivery. */
export const scheduledTriggerSchema = z.strictObject({ kind: z.literal('schedule'), model: z.string().min(1), scheduledTime: z.iso.datetime() });

/**
 * What a team sends to run training on demand. `requestId` names the run: the same id never starts a second run, so
 * a retried command is safe; use a new id for a new run.
 */
export const manualTriggerSchema = z.strictObject({
  kind: z.literal('manual'),
  model: z.string().min(1),
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, "1-64 letters, digits and '._:-', e.g. 2026-11-29-retrain"),
  trainingDataUri: z.string().startsWith('s3://').optional(),
  hyperparameters: z.record(z.string(), z.string()).optional(),
  commitId: z.string().min(1).max(1024).optional(),
});

export interface ParsedTrigger {
  readonly model: string;
  readonly trigger: TrainingTrigger;
  /** Kept in the model package's metadata: why this run exists. */
  readonly reason: string;
  readonly overrides: { readonly trainingDataUri?: string; readonly hyperparameters?: Record<string, string>; readonly commitId?: string };
}

export class InvalidTriggerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTriggerError';
  }
}

/** One of the three triggers: the schedule rule's input, a DriftDetected event, or a manual request. */
export function parseTrigger(event: unknown, environment: string): ParsedTrigger {
  const record = (event ?? {}) as Record<string, unknown>;
  if (record.source === PLATFORM_EVENT_SOURCE && record['detail-type'] === DRIFT_DETECTED_DETAIL_TYPE) {
    const parsed = driftDetectedEventSchema.safeParse(event);
    if (!parsed.success) throw new InvalidTriggerError(`not a DriftDetected event (schema ${'v1'}): ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    const { detail } = parsed.data;
    if (detail.environment !== environment)
      throw new InvalidTriggerError(`DriftDetected for environment ${detail.environment}; this function starts training in ${environment}`);
    const features = detail.driftedFeatures.map((feature) => feature.feature).join(', ');
    return {
      model: detail.model,
      trigger: { kind: 'drift', detectionId: detail.detectionId },
      reason: `drift of version ${detail.modelVersion} (${features}) detected ${detail.window.end}`.slice(0, 256),
      overrides: {},
    };
  }
  const schedule = scheduledTriggerSchema.safeParse(event);
  if (schedule.success)
    return {
      model: schedule.data.model,
      trigger: { kind: 'schedule', scheduledTime: schedule.data.scheduledTime },
      reason: `scheduled ${schedule.data.scheduledTime}`,
      overrides: {},
    };
  const manual = manualTriggerSchema.safeParse(event);
  if (manual.success) {
    const { model, requestId, kind: _kind, ...overrides } = manual.data;
    return { model, trigger: { kind: 'manual', requestId }, reason: `manual request ${requestId}`, overrides };
  }
  throw new InvalidTriggerError(
    `not a training trigger: expected a DriftDetected event, {"kind":"schedule","model","scheduledTime"} or {"kind":"manual","model","requestId"}; ` +
      `as a manual request: ${z.prettifyError(manual.error).replace(/\n/g, ' ')}`,
  );
}
