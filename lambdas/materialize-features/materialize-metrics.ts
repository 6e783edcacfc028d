/** Powertools service name of the materialize-features function: the `service` dimension of its metrics. */
export const MATERIALIZE_SERVICE = 'materialize-features';

/** Metric names the materialize-features function emits (namespace MlopsBlueprint, service materialize-features). */
export const MATERIALIZE_METRICS = {
  /** Per feature group (dimension `FeatureGroup`). */
  rowsRead: 'FeatureRowsRead',
  recordsWritten: 'FeatureRecordsWritten',
  /** Rows the feature group's definition refused (written to the failure report). */
  recordsRejected: 'FeatureRecordsRejected',
  /** Records PutRecord did not accept after every retry (the message is redelivered, then dead-lettered). */
  recordsFailed: 'FeatureRecordsFailed',
  recordRetries: 'FeatureRecordRetries',
  /** Objects that are not silver Parquet or feed no feature group (no dimension besides `service`). */
  objectsSkipped: 'SilverObjectsSkipped',
} as const;

/** The dimension of the per-feature-group counts. */
export const FEATURE_GROUP_DIMENSION = 'FeatureGroup';
