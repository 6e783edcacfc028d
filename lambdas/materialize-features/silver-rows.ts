import { cachedAsyncBuffer, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { SilverRow } from '../../lib/features';

export interface RowBatch {
  /** 0-based index of the Parquet row group the rows come from. */
  readonly index: number;
  /** 1-based row number of the first row in the file, for failure reports. */
  readonly firstRowNumber: number;
  readonly rows: readonly SilverRow[];
}

export interface SilverFile {
  readonly columns: readonly string[];
  readonly rowCount: number;
  readonly rowGroupCount: number;
  /** One batch per Parquet row group, so memory is bounded by the row group size, not the file size. */
  batches(columns: readonly string[]): AsyncGenerator<RowBatch>;
  /** One row group, read on its own. */
  rowGroup(index: number, columns: readonly string[]): Promise<RowBatch>;
}

/** Opens a silver Parquet file (any codec: snappy, gzip, zstd, brotli, lz4) and reads its top-level columns. */
export async function openSilverFile(source: AsyncBuffer): Promise<SilverFile> {
  const file = cachedAsyncBuffer(source);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const starts: number[] = [];
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    starts.push(rowStart);
    rowStart += Number(group.num_rows);
  }
  const rowGroup = async (index: number, wanted: readonly string[]): Promise<RowBatch> => {
    const start = starts[index];
    if (start === undefined) throw new RangeError(`row group ${index} of ${starts.length}`);
    const rows = await parquetReadObjects({
      file,
      metadata,
      columns: [...wanted],
      rowStart: start,
      rowEnd: start + Number(metadata.row_groups[index].num_rows),
      compressors,
    });
    return { index, firstRowNumber: start + 1, rows };
  };
  return {
    columns,
    rowCount: Number(metadata.num_rows),
    rowGroupCount: starts.length,
    rowGroup,
    async *batches(wanted) {
      for (let index = 0; index < starts.length; index++) yield await rowGroup(index, wanted);
    },
  };
}
