import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DatasetContract } from '../../lib/contracts';
import { INGEST_DATE_COLUMN, quarantineTable, silverDatasetTable, type GlueColumn, type GlueTableDefinition } from '../../lib/lakehouse';
import { pascalCase } from '../shared/construct-id';

export interface SilverTablesProps {
  readonly silverBucket: s3.IBucket;
  /** The Glue database of the silver tier. */
  readonly databaseName: string;
  /** Where ingest writes rejected rows (the lakehouse's `quarantinePrefix`). */
  readonly quarantinePrefix: string;
  /** The datasets to describe: one Parquet table and one quarantine table each. */
  readonly datasets: readonly DatasetContract[];
  /** The first `ingest_date` partition projected (`YYYY-MM-DD`). */
  readonly firstIngestDate: string;
  /** A workgroup to save a "latest rows" query per dataset in. @default - no saved queries */
  readonly workGroupName?: string;
}

const FORMATS = {
  parquet: {
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
  },
  'json-lines': {
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
  },
} as const;

/**
 * The silver tier made queryable: a Glue table per contract dataset (columns from the contract registry) and per
 * quarantine, with partition projection on `ingest_date`, so Athena reads what ingest wrote without DDL or crawlers.
 */
export class SilverTables extends Construct {
  /** Per dataset: its Parquet table and its quarantine table. */
  readonly tables: ReadonlyMap<string, { readonly rows: glue.CfnTable; readonly quarantine: glue.CfnTable }>;

  constructor(scope: Construct, id: string, props: SilverTablesProps) {
    super(scope, id);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(props.firstIngestDate) || Number.isNaN(Date.parse(props.firstIngestDate))) {
      throw new Error(`${this.node.path}: firstIngestDate "${props.firstIngestDate}" must be a date as YYYY-MM-DD`);
    }
    const options = { silverUrl: `${props.silverBucket.s3UrlForObject()}/`, firstIngestDate: props.firstIngestDate, quarantinePrefix: props.quarantinePrefix };
    const tables = new Map<string, { rows: glue.CfnTable; quarantine: glue.CfnTable }>();
    for (const contract of props.datasets) {
      const datasetId = pascalCase(contract.dataset);
      const rowsTable = silverDatasetTable(contract, options);
      const rows = this.createTable(`${datasetId}Table`, props.databaseName, rowsTable);
      const quarantine = this.createTable(`${datasetId}QuarantineTable`, props.databaseName, quarantineTable(contract, options));
      tables.set(contract.dataset, { rows, quarantine });
      if (props.workGroupName !== undefined) {
        const query = new athena.CfnNamedQuery(this, `${datasetId}LatestRows`, {
          name: `${contract.dataset}: today's rows`,
          description: `The latest rows ingest wrote for ${contract.dataset} (partition projection on ${INGEST_DATE_COLUMN})`,
          database: props.databaseName,
          workGroup: props.workGroupName,
          queryString: `SELECT * FROM "${rowsTable.name}" WHERE ${INGEST_DATE_COLUMN} = date_format(current_date, '%Y-%m-%d') LIMIT 100`,
        });
        query.node.addDependency(rows);
      }
    }
    this.tables = tables;
  }

  private createTable(id: string, databaseName: string, table: GlueTableDefinition): glue.CfnTable {
    const columns = (list: readonly GlueColumn[]) => list.map((column) => ({ ...column }));
    return new glue.CfnTable(this, id, {
      catalogId: Stack.of(this).account,
      databaseName,
      tableInput: {
        name: table.name,
        description: table.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: { EXTERNAL: 'TRUE', ...table.parameters },
        partitionKeys: columns(table.partitionKeys),
        storageDescriptor: {
          columns: columns(table.columns),
          location: table.location,
          ...FORMATS[table.format],
          serdeInfo: { ...FORMATS[table.format].serdeInfo, ...(table.serdeParameters && { parameters: { ...table.serdeParameters } }) },
        },
      },
    });
  }
}
