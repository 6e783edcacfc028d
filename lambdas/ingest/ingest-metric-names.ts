// The ingest function's metric names, without imports: the constructs (alarms, dashboards) read them too.

/** Powertools service name of the ingest function: the `service` dimension of its metrics. */
export const INGEST_SERVICE = 'ingest';

/** Metric names the ingest function emits (namespace MlopsBlueprint, service ingest). */
export const INGEST_METRICS = {
  rowsIn: 'IngestRowsIn',
  rowsValid: 'IngestRowsValid',
  rowsQuarantined: 'IngestRowsQuarantined',
  objectsIngested: 'IngestObjectsIngested',
  objectsAlreadyIngested: 'IngestObjectsAlreadyIngested',
  poisonMessages: 'IngestPoisonMessages',
} as const;

/** The dimension of the per-object row counts (besides Powertools' `service`). */
export const DATASET_DIMENSION = 'dataset';
