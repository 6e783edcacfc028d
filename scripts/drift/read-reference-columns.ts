import { DuckDBInstance } from '@duckdb/node-api';
import type { ReferenceColumn } from '../../lib/drift';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*|REAL)$/;

export class ReferenceInputError extends Error {}

export interface ReferenceSelection {
  /** Feature columns in input-tensor order; default: every numeric column in file order, minus `exclude`. */
  readonly features?: readonly string[];
  readonly exclude?: readonly string[];
}

/**
 * Reads the feature columns of a Parquet or CSV file with DuckDB (as Athena would read the lakehouse), one column at
 * a time, as doubles (NULL stays null: a missing value). Column i of the result is input-tensor column i.
 */
export async function readReferenceColumns(input: string, selection: ReferenceSelection): Promise<{ columns: ReferenceColumn[]; rows: number }> {
  const format = /\.parquet$/i.test(input) ? 'parquet' : /\.(csv|tsv|txt)(\.gz)?$/i.test(input) ? 'csv' : undefined;
  if (format === undefined) throw new ReferenceInputError(`--input ${input}: expected a .parquet or .csv file`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = format === 'parquet' ? `read_parquet(${literal(input)})` : `read_csv(${literal(input)}, header = true)`;
    let described;
    try {
      described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    } catch (error) {
      throw new ReferenceInputError(`--input ${input}: ${(error as Error).message.split('\n')[0]}`);
    }
    const types = new Map(described.getRowObjectsJS().map((row) => [row.column_name as string, row.column_type as string]));
    const exclude = new Set(selection.exclude ?? []);
    for (const name of exclude)
      if (!types.has(name)) throw new ReferenceInputError(`--exclude ${name}: no such column; columns: ${[...types.keys()].join(', ')}`);
    const names = selection.features ?? [...types].filter(([name, type]) => NUMERIC.test(type) && !exclude.has(name)).map(([name]) => name);
    if (names.length === 0)
      throw new ReferenceInputError(`--input ${input}: no numeric column to use as a feature; columns: ${[...types].map(([n, t]) => `${n} ${t}`).join(', ')}`);
    for (const name of names) {
      const type = types.get(name);
      if (type === undefined) throw new ReferenceInputError(`--features ${name}: no such column; columns: ${[...types.keys()].join(', ')}`);
      if (!NUMERIC.test(type))
        throw new ReferenceInputError(`--features ${name}: column type ${type} is not numeric; a feature of the input tensor is a number`);
    }
    const columns: ReferenceColumn[] = [];
    let rows = 0;
    for (const [column, name] of names.entries()) {
      const reader = await connection.runAndReadAll(`SELECT CAST(${identifier(name)} AS DOUBLE) FROM ${source}`);
      const values = reader.getColumnsJS()[0] as (number | null)[];
      rows = values.length;
      columns.push({ name, column, values });
    }
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function identifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
