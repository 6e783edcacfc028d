/** Field types a contract can declare; each maps to one Parquet column type (see docs/ingest.md). */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp';

/** One column of a dataset: its type and the rules a value must satisfy. */
export interface FieldContract {
  readonly name: string;
  readonly type: FieldType;
  /** A required field must be present and non-empty in every record. */
  readonly required: boolean;
  /** Inclusive lower bound for `integer` and `number` fields. */
  readonly min?: number;
  /** Inclusive upper bound for `integer` and `number` fields. */
  readonly max?: number;
  /** Allowed values of a `string` field. */
  readonly enum?: readonly string[];
  /** Pattern a `string` field must match. */
  readonly pattern?: RegExp;
  readonly description?: string;
}

/** The data contract of one dataset: every bronze file of the dataset must hold records of this shape. */
export interface DatasetContract {
  /** Dataset name: the first path segment of bronze keys and the `dataset=` partition in silver. */
  readonly dataset: string;
  readonly version: number;
  readonly description: string;
  /** Fields in column order; CSV headers must list exactly these names, in any order. */
  readonly fields: readonly FieldContract[];
}

/** A value after validation: what the Parquet column holds (timestamps as epoch milliseconds). */
export type CellValue = string | number | boolean | null;

/** A validated record: one value per contract field, in contract field order. */
export type ValidRow = CellValue[];

export type RecordValidation = { readonly ok: true; readonly row: ValidRow } | { readonly ok: false; readonly reasons: string[] };
