import { Bool, DataType, Field, Float64, Int32, Schema, TimestampMillisecond, Utf8 } from 'apache-arrow';
import type { DatasetContract, FieldType } from '../../lib/contracts';

function arrowType(type: FieldType): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'integer':
      return new Int32();
    case 'number':
      return new Float64();
    case 'boolean':
      return new Bool();
    case 'timestamp':
      // A time zone marks the Parquet TIMESTAMP as adjusted to UTC (isAdjustedToUTC = true).
      return new TimestampMillisecond('UTC');
  }
}

/** The Arrow schema of a dataset's silver Parquet files: one column per contract field, optional fields nullable. */
export function arrowSchemaOf(contract: DatasetContract): Schema {
  return new Schema(contract.fields.map((f) => new Field(f.name, arrowType(f.type), !f.required)));
}
