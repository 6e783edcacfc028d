import type { Registry } from 'prom-client';
import type { ServingLogger } from '../logger';
import { CaptureMetrics } from './capture-metrics';
import { loadCaptureSettings } from './capture-settings';
import { openCaptureWriter } from './capture-writer';
import { InferenceCapture } from './inference-capture';

export { CAPTURE_ENV } from './capture-settings';
export { CAPTURE_METRIC_NAMES } from './capture-metrics';
export type { CaptureSink } from './inference-capture';
export { InferenceCapture } from './inference-capture';

/**
 * Inference capture as the environment configures it (see capture-settings.ts), or undefined when every sampled
 * fraction is 0. The metrics are registered either way, so dashboards see zeros rather than no series.
 */
export function createInferenceCapture(options: {
  env?: NodeJS.ProcessEnv;
  registry: Registry;
  logger: ServingLogger;
  mode: 'background' | 'on-demand';
  forcePathStyle?: boolean;
}): InferenceCapture | undefined {
  const settings = loadCaptureSettings(options.env);
  const metrics = new CaptureMetrics(options.registry);
  const sampling = settings.defaultFraction > 0 || [...settings.fractions.values()].some((fraction) => fraction > 0);
  if (!sampling || settings.destination === undefined) return undefined;
  const writer = openCaptureWriter(settings.destination, { forcePathStyle: options.forcePathStyle });
  options.logger.info('inference capture on', {
    destination: writer.location,
    defaultFraction: settings.defaultFraction,
    fractions: Object.fromEntries(settings.fractions),
  });
  return new InferenceCapture({ settings, writer, metrics, logger: options.logger, mode: options.mode });
}
