/** Powertools service name of the materialize-features function: the `service` dimension of its metrics. */
export const MATERIALIZE_SERVICE = 'materialize-features';

/** Metric names the materialize-features function emits (namespace MlopsBlueprint, service materialize-features). */
export const MATERIALIZE_METRICS = {
  /** Per feature group (dimension `FeatureGroup`). */
  rowsRead: 'FeatureRowsRead',
  /** Records written to the offline store (one Parquet object per row group, under a deterministic key). */
  recordsWrittenOffline: 'FeatureRecordsWrittenOffline',
  /** Records written to the online store (the newest per entity). */
  recordsWrittenOnline: 'FeatureRecordsWrittenOnline',
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
