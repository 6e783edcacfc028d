/**
 * Every CloudWatch metric the drift detector publishes (EMF through Powertools, namespace `MlopsBlueprint`), with
 * its dimensions: the one place dashboards, alarms and the detector take them from.
 */

/** Powertools `serviceName` of the drift detector; Powertools adds it as the `service` dimension of every metric. */
export const DRIFT_DETECTOR_SERVICE = 'drift-detector';

export const DRIFT_DIMENSIONS = { model: 'model', version: 'version', feature: 'feature' } as const;

export const DRIFT_METRICS = {
  /** Population stability index of one feature over the window. Dimensions: service, model, version, feature. */
  psi: 'DriftPsi',
  /** Two-sample Kolmogorov–Smirnov statistic D of one feature over the window. Dimensions: service, model, version, feature. */
  ksStatistic: 'DriftKsStatistic',
  /** Captured rows read in the window. Dimensions: service, model, version. */
  samples: 'DriftSamples',
  /** Features over a threshold in the window (0 when none; absent when below minSamples). Dimensions: service, model. */
  featuresDrifted: 'DriftFeaturesDrifted',
  /** Windows skipped because they held fewer than minSamples rows. Dimensions: service, model. */
  windowsBelowMinSamples: 'DriftWindowsBelowMinSamples',
  /** Capture records that could not be read (bad JSON, wrong tensor shape); skipped and logged. Dimensions: service, model. */
  captureRecordsRejected: 'DriftCaptureRecordsRejected',
} as const;
export type DriftMetricName = (typeof DRIFT_METRICS)[keyof typeof DRIFT_METRICS];
