import { createHash } from 'node:crypto';
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DriftThresholds } from '../../lib/drift';
import {
  DRIFT_DETECTED_DETAIL_TYPE,
  DRIFT_DETECTED_SCHEMA_VERSION,
  driftDetectedDetailSchema,
  PLATFORM_EVENT_SOURCE,
  type DriftDetectedDetail,
  type DriftedFeature,
} from '../../lib/events';
import type { CaptureWindow } from './capture-window';

/** PutEvents answered with a failed entry (EventBridge reports failures per entry, not as an error). */
export class PutEventsFailedError extends Error {
  constructor(
    readonly errorCode: string | undefined,
    readonly errorMessage: string | undefined,
  ) {
    super(`EventBridge refused the DriftDetected event: ${errorCode ?? 'unknown error'}: ${errorMessage ?? ''}`);
    this.name = 'PutEventsFailedError';
  }
}

/** Same environment, model, version and window → same id: a re-run is recognisable, by us and by consumers. */
export function detectionId(environment: string, model: string, version: string, window: CaptureWindow): string {
  const digest = createHash('sha256').update([environment, model, version, window.start.toISOString(), window.end.toISOString()].join('\n')).digest('hex');
  return `drift-${digest.slice(0, 40)}`;
}

export function driftDetectedDetail(args: {
  environment: string;
  model: string;
  version: string;
  window: CaptureWindow;
  thresholds: DriftThresholds;
  drifted: readonly DriftedFeature[];
}): DriftDetectedDetail {
  // Parsed with the shared schema: an event start-training would refuse is never sent.
  return driftDetectedDetailSchema.parse({
    schemaVersion: DRIFT_DETECTED_SCHEMA_VERSION,
    environment: args.environment,
    model: args.model,
    modelVersion: args.version,
    window: { start: args.window.start.toISOString(), end: args.window.end.toISOString() },
    thresholds: { psiThreshold: args.thresholds.psiThreshold, ksStatistic: args.thresholds.ksStatistic, minSamples: args.thresholds.minSamples },
    driftedFeatures: [...args.drifted],
    detectionId: detectionId(args.environment, args.model, args.version, args.window),
  });
}

/** One PutEvents entry (EventBridge API Reference, PutEventsRequestEntry): Detail is a JSON string. */
export function driftDetectedEntry(detail: DriftDetectedDetail, eventBusName: string): PutEventsRequestEntry {
  return {
    Source: PLATFORM_EVENT_SOURCE,
    DetailType: DRIFT_DETECTED_DETAIL_TYPE,
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
    Time: new Date(detail.window.end),
  };
}

/** @throws PutEventsFailedError when EventBridge reports the entry failed */
export async function putDriftDetected(eventBridge: EventBridgeClient, detail: DriftDetectedDetail, eventBusName: string): Promise<string | undefined> {
  const response = await eventBridge.send(new PutEventsCommand({ Entries: [driftDetectedEntry(detail, eventBusName)] }));
  const entry = response.Entries?.[0];
  if ((response.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode !== undefined) throw new PutEventsFailedError(entry?.ErrorCode, entry?.ErrorMessage);
  return entry?.EventId;
}
