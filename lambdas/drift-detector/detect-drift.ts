import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CaptureWindowAccumulator, evaluateWindow, type DriftModel, type FeatureDrift } from '../../lib/drift';
import { driftDetectionMarkerKey } from '../../lib/lakehouse';
import { headObjectOrUndefined } from '../shared/s3-objects';
import { findBaseline, type BaselineLocation } from './baseline-source';
import { listModelVersions, listWindowFiles } from './capture-files';
import { readWatermark, windowEnd, windowFrom, writeWatermark, type CaptureWindow } from './capture-window';
import { driftDetectedDetail, putDriftDetected } from './drift-event';
import { publishRejectedRecords, publishVerdict } from './drift-metrics';
import { readCaptureFile } from './read-capture';

export interface DetectorDeps {
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly eventBridge: EventBridgeClient;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly metrics: Metrics;
  readonly now: () => Date;
}

export interface DetectorConfig {
  readonly environment: string;
  readonly models: readonly DriftModel[];
  readonly scheduleMinutes: number;
  readonly silverBucket: string;
  readonly baselines: BaselineLocation;
  readonly eventBusName: string;
}

export type VersionOutcome = { readonly model: string; readonly version: string } & (
  | { readonly kind: 'up-to-date' | 'no-capture' }
  | { readonly kind: 'no-baseline'; readonly looked: readonly string[] }
  | { readonly kind: 'below-min-samples'; readonly rows: number; readonly minSamples: number }
  | { readonly kind: 'stable'; readonly rows: number }
  | { readonly kind: 'drifted'; readonly rows: number; readonly detectionId: string; readonly emitted: boolean; readonly features: readonly string[] }
  | { readonly kind: 'failed'; readonly error: string }
);

/** A version (or several) could not be checked; the others were. Fails the invocation so it is retried and alarmed. */
export class DriftCheckFailedError extends Error {
  constructor(readonly failures: readonly VersionOutcome[]) {
    super(`drift check failed for ${failures.map((f) => `${f.model}/${f.version}: ${f.kind === 'failed' ? f.error : f.kind}`).join('; ')}`);
    this.name = 'DriftCheckFailedError';
  }
}

/**
 * One detector run: for every configured model and every version in the model repository, the window since its watermark is
 * compared with the version's baseline. Drift emits `DriftDetected` once per window; fewer than minSamples rows keep
 * the window open (the watermark stays) so a quiet model accumulates rows over several runs.
 * @throws DriftCheckFailedError after checking everything else, when some version could not be checked
 */
export async function detectDrift(deps: DetectorDeps, config: DetectorConfig): Promise<VersionOutcome[]> {
  const outcomes: VersionOutcome[] = [];
  const end = windowEnd(deps.now(), config.scheduleMinutes);
  for (const model of config.models) {
    for (const version of await listModelVersions(deps.s3, config.baselines.repositoryBucket, config.baselines.repositoryPrefix, model.name)) {
      try {
        outcomes.push(await checkVersion(deps, config, model, version, end));
      } catch (error) {
        deps.logger.error('drift check failed', { model: model.name, version, error: error as Error });
        outcomes.push({ model: model.name, version, kind: 'failed', error: (error as Error).message });
      }
    }
  }
  const failures = outcomes.filter((outcome) => outcome.kind === 'failed');
  if (failures.length > 0) throw new DriftCheckFailedError(failures);
  return outcomes;
}

async function checkVersion(deps: DetectorDeps, config: DetectorConfig, model: DriftModel, version: string, end: Date): Promise<VersionOutcome> {
  const { s3, logger } = deps;
  const at = { model: model.name, version };
  const window = windowFrom(await readWatermark(s3, config.silverBucket, model.name, version), end);
  if (window.start >= window.end) return { ...at, kind: 'up-to-date' };
  const files = await listWindowFiles(s3, config.silverBucket, model.name, version, window);
  if (files.length === 0) return { ...at, kind: 'no-capture' };

  const lookup = await findBaseline(deps, config.baselines, model.name, version);
  if (!lookup.found) {
    logger.warn('no drift baseline for this model version; its capture waits until one is registered', { ...at, looked: lookup.looked });
    return { ...at, kind: 'no-baseline', looked: lookup.looked };
  }

  const accumulator = new CaptureWindowAccumulator(lookup.baseline);
  let rejected = 0;
  for (const key of files) {
    const counts = await readCaptureFile(s3, config.silverBucket, key, accumulator);
    rejected += counts.rejected;
    if (counts.rejected > 0) logger.warn('capture records skipped', { ...at, key, rejected: counts.rejected, first: counts.firstRejection });
  }
  publishRejectedRecords(deps.metrics, model.name, rejected);
  const verdict = evaluateWindow(accumulator.result(), accumulator.rows, model);
  publishVerdict(deps.metrics, model.name, version, verdict);
  const summary = { ...at, window: windowText(window), files: files.length, rows: accumulator.rows, baseline: lookup.uri };

  if (verdict.kind === 'below-min-samples') {
    logger.info(`below minSamples: ${verdict.rows} rows < ${verdict.minSamples}; nothing decided, nothing emitted, the window stays open`, summary);
    return { ...at, kind: 'below-min-samples', rows: verdict.rows, minSamples: verdict.minSamples };
  }
  if (verdict.kind === 'stable') {
    logger.info('no drift', { ...summary, features: figures(verdict.features) });
    await writeWatermark(s3, config.silverBucket, model.name, version, window.end);
    return { ...at, kind: 'stable', rows: verdict.rows };
  }

  const detail = driftDetectedDetail({ environment: config.environment, model: model.name, version, window, thresholds: model, drifted: verdict.drifted });
  const markerKey = driftDetectionMarkerKey(model.name, version, detail.detectionId);
  const emitted = (await headObjectOrUndefined(s3, config.silverBucket, markerKey)) === undefined;
  if (emitted) {
    const eventId = await putDriftDetected(deps.eventBridge, detail, config.eventBusName);
    await s3.send(
      new PutObjectCommand({ Bucket: config.silverBucket, Key: markerKey, Body: JSON.stringify({ eventId, detail }), ContentType: 'application/json' }),
    );
    logger.warn('drift detected: DriftDetected emitted', { ...summary, detectionId: detail.detectionId, eventId, drifted: detail.driftedFeatures });
  } else {
    logger.info('drift detected again in an already reported window: nothing emitted', { ...summary, detectionId: detail.detectionId });
  }
  await writeWatermark(s3, config.silverBucket, model.name, version, window.end);
  return { ...at, kind: 'drifted', rows: verdict.rows, detectionId: detail.detectionId, emitted, features: detail.driftedFeatures.map((f) => f.feature) };
}

function windowText(window: CaptureWindow): string {
  return `${window.start.toISOString()}/${window.end.toISOString()}`;
}

function figures(features: readonly FeatureDrift[]): Record<string, { psi?: number; ks?: number }> {
  return Object.fromEntries(features.map((f) => [f.feature, { psi: f.psi, ks: f.ksStatistic }]));
}
