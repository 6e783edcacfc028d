import { getContract, UnknownDatasetError, type ContractRegistry } from '../../lib/contracts';
import { PoisonObjectError } from './errors';
import { ingestObject, type IngestCounts } from './ingest-object';
import type { IngestLimits } from './ingest-limits';
import type { S3ObjectStore } from './s3-object-store';
import { describeSourceObject, quarantineKey, silverParquetKey, type SourceObject, type SourceObjectRef } from './source-object';

export type ProcessOutcome =
  | { readonly status: 'ingested'; readonly source: SourceObject; readonly counts: IngestCounts; readonly parquetKey: string; readonly quarantineKey?: string }
  | { readonly status: 'already-ingested'; readonly source: SourceObject; readonly parquetKey: string };

export interface ProcessObjectDeps {
  readonly store: S3ObjectStore;
  readonly silverBucket: string;
  /** Where rejected rows go in silver. @default the layout's default quarantine prefix */
  readonly quarantinePrefix?: string;
  readonly registry?: ContractRegistry;
  /** Default: DEFAULT_INGEST_LIMITS. */
  readonly limits?: IngestLimits;
}

/** Ingests one bronze object version into silver, or does nothing if that version is already there. */
export async function processObject(deps: ProcessObjectDeps, ref: SourceObjectRef): Promise<ProcessOutcome> {
  const source = describeSourceObject(ref);
  let contract;
  try {
    contract = getContract(source.dataset, deps.registry);
  } catch (error) {
    if (error instanceof UnknownDatasetError) throw new PoisonObjectError(error.message);
    throw error;
  }
  const parquetKey = silverParquetKey(source);
  if (await deps.store.exists(deps.silverBucket, parquetKey)) return { status: 'already-ingested', source, parquetKey };

  const rejectedKey = quarantineKey(source, deps.quarantinePrefix);
  let quarantineWritten = false;
  const counts = await ingestObject({
    input: await deps.store.openRead(ref),
    format: source.format,
    contract,
    limits: deps.limits,
    sinks: {
      storeParquet: (body) => deps.store.upload(deps.silverBucket, parquetKey, body, 'application/vnd.apache.parquet'),
      storeQuarantine: (body) => {
        quarantineWritten = true;
        return deps.store.upload(deps.silverBucket, rejectedKey, body, 'application/x-ndjson');
      },
    },
  });
  return { status: 'ingested', source, counts, parquetKey, quarantineKey: quarantineWritten ? rejectedKey : undefined };
}
