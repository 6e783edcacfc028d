import type { DatasetContract, FieldType } from '../contracts';
import { DATASETS_PREFIX, DEFAULT_QUARANTINE_PREFIX, partitionPath } from './layout';

/**
 * The Glue tables of the silver tier, generated from the contract registry (one source for the columns): one Parquet
 * table per dataset and one JSON Lines table of its quarantine. Partitions come from partition projection, so a new
 * `ingest_date=` folder is queryable at once, with no crawler and no `MSCK REPAIR`.
 */

/** The Glue (Hive) type of each contract field type: what Athena reads the ingest Lambda's Parquet columns as. */
export const GLUE_COLUMN_TYPES: Readonly<Record<FieldType, string>> = {
  string: 'string',
  integer: 'int',
  number: 'double',
  boolean: 'boolean',
  // The Parquet column is TIMESTAMP(MILLIS, isAdjustedToUTC = true).
  timestamp: 'timestamp',
};

/** The partition column of every silver table (the `dataset=` level is the table's location). */
export const INGEST_DATE_COLUMN = 'ingest_date';

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

export type GlueTableFormat = 'parquet' | 'json-lines';

export interface GlueTableDefinition {
  readonly name: string;
  readonly description: string;
  readonly format: GlueTableFormat;
  readonly columns: readonly GlueColumn[];
  readonly partitionKeys: readonly GlueColumn[];
  /** `s3://<bucket>/<prefix>dataset=<d>/` */
  readonly location: string;
  /** Table parameters, partition projection included. */
  readonly parameters: Readonly<Record<string, string>>;
  /** SerDe parameters (the JSON Lines tables map each column to its JSON key). */
  readonly serdeParameters?: Readonly<Record<string, string>>;
}

export interface DatasetTableOptions {
  /** `s3://<silver bucket>/` (a token is fine). */
  readonly silverUrl: string;
  /** The first `ingest_date` projected (`YYYY-MM-DD`); the last is always today. */
  readonly firstIngestDate: string;
  /** @default DEFAULT_QUARANTINE_PREFIX */
  readonly quarantinePrefix?: string;
}

/** Glue/Athena table names allow lowercase letters, digits and `_`: `customer-events` → `customer_events`. */
export function datasetTableName(dataset: string): string {
  return dataset.replace(/-/g, '_');
}

export function quarantineTableName(dataset: string): string {
  return `${datasetTableName(dataset)}_quarantine`;
}

/** The quarantine entry's fields Athena can type (see `QuarantineEntry`); `record` is heterogeneous JSON (an object, a field list or raw text), read from the file (`"$path"`, `line`). */
export const QUARANTINE_COLUMNS: readonly GlueColumn[] = [
  { name: 'line', type: 'bigint', comment: 'line of the source object the record starts on' },
  { name: 'lastline', type: 'bigint', comment: 'last line of a record spanning several (quoted line breaks); null for one line' },
  { name: 'reasons', type: 'array<string>', comment: 'why the record was rejected' },
];

/** The JSON key of each quarantine column (`QuarantineEntry` is camelCase; Glue column names are lower case). */
export const QUARANTINE_JSON_KEYS: Readonly<Record<string, string>> = { line: 'line', lastline: 'lastLine', reasons: 'reasons' };

function projectedPartitions(location: string, firstIngestDate: string): Record<string, string> {
  return {
    'projection.enabled': 'true',
    [`projection.${INGEST_DATE_COLUMN}.type`]: 'date',
    [`projection.${INGEST_DATE_COLUMN}.format`]: 'yyyy-MM-dd',
    [`projection.${INGEST_DATE_COLUMN}.range`]: `${firstIngestDate},NOW`,
    [`projection.${INGEST_DATE_COLUMN}.interval`]: '1',
    [`projection.${INGEST_DATE_COLUMN}.interval.unit`]: 'DAYS',
    'storage.location.template': `${location}${INGEST_DATE_COLUMN}=\${${INGEST_DATE_COLUMN}}/`,
  };
}

const PARTITION_KEYS: readonly GlueColumn[] = [{ name: INGEST_DATE_COLUMN, type: 'string', comment: 'UTC date the bronze object was created (YYYY-MM-DD)' }];

/** The Parquet table of one dataset's valid rows in silver. */
export function silverDatasetTable(contract: DatasetContract, options: DatasetTableOptions): GlueTableDefinition {
  const location = `${options.silverUrl}${partitionPath(DATASETS_PREFIX, contract.dataset)}`;
  return {
    name: datasetTableName(contract.dataset),
    description: `${contract.dataset} v${contract.version}: valid rows written by ingest. ${contract.description}`.slice(0, 2048),
    format: 'parquet',
    columns: contract.fields.map((field) => ({
      name: field.name,
      type: GLUE_COLUMN_TYPES[field.type],
      ...(field.description && { comment: field.description.slice(0, 255) }),
    })),
    partitionKeys: PARTITION_KEYS,
    location,
    parameters: { classification: 'parquet', 'contract.version': String(contract.version), ...projectedPartitions(location, options.firstIngestDate) },
  };
}

/** The JSON Lines table of one dataset's rejected rows and their reasons. */
export function quarantineTable(contract: DatasetContract, options: DatasetTableOptions): GlueTableDefinition {
  const location = `${options.silverUrl}${partitionPath(options.quarantinePrefix ?? DEFAULT_QUARANTINE_PREFIX, contract.dataset)}`;
  return {
    name: quarantineTableName(contract.dataset),
    description: `${contract.dataset}: rows ingest rejected, with the reasons (one JSON object per line)`,
    format: 'json-lines',
    columns: QUARANTINE_COLUMNS,
    partitionKeys: PARTITION_KEYS,
    location,
    parameters: { classification: 'json', ...projectedPartitions(location, options.firstIngestDate) },
    // The OpenX SerDe, case-sensitive, with an explicit key per column: no column depends on lower-casing.
    serdeParameters: {
      'case.insensitive': 'FALSE',
      ...Object.fromEntries(Object.entries(QUARANTINE_JSON_KEYS).map(([column, key]) => [`mapping.${column}`, key])),
    },
  };
}
