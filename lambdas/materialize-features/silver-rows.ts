import { cachedAsyncBuffer, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { SilverRow } from '../../lib/features';

export interface RowBatch {
  /** 1-based row number of the first row in the file, for failure reports. */
  readonly firstRowNumber: number;
  readonly rows: readonly SilverRow[];
}

export interface SilverFile {
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** One batch per Parquet row group, so memory is bounded by the row group size, not the file size. */
  batches(columns: readonly string[]): AsyncGenerator<RowBatch>;
}

/** Opens a silver Parquet file (any codec: snappy, gzip, zstd, brotli, lz4) and reads its top-level columns. */
export async function openSilverFile(source: AsyncBuffer): Promise<SilverFile> {
  const file = cachedAsyncBuffer(source);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  return {
    columns,
    rowCount: Number(metadata.num_rows),
    async *batches(wanted) {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const rows = await parquetReadObjects({ file, metadata, columns: [...wanted], rowStart, rowEnd, compressors });
        yield { firstRowNumber: rowStart + 1, rows };
        rowStart = rowEnd;
      }
    },
  };
}
