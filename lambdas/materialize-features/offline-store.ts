import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeFeatureGroupCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { FeatureGroupDefinition, FeatureType, FeatureValue } from '../../lib/features';
import { offlineStoreObjectKey } from '../../lib/lakehouse';

/**
 * The offline store written directly, the way Feature Store's Spark connector ingests in bulk: each batch of records
 * becomes Parquet files in the group's offline S3 location (`ResolvedOutputS3Uri`), one per event-time hour, under
 * Feature Store's own key layout, with the three columns Feature Store adds to every offline record (write_time,
 * api_invocation_time, is_deleted). A file's key is derived from (group, source file version, row group, hour), so
 * writing the same rows again overwrites the same objects: each record lands in the offline store exactly once.
 */

export interface OfflineStoreLocation {
  readonly bucket: string;
  /** Key prefix of the group's data, ending in `/` (the key part of `ResolvedOutputS3Uri`). */
  readonly dataPrefix: string;
}

/** Where Feature Store put this group's offline data: `OfflineStoreConfig.S3StorageConfig.ResolvedOutputS3Uri`. */
export async function resolveOfflineStore(sagemaker: SageMakerClient, featureGroupName: string): Promise<OfflineStoreLocation> {
  const description = await sagemaker.send(new DescribeFeatureGroupCommand({ FeatureGroupName: featureGroupName }));
  const uri = description.OfflineStoreConfig?.S3StorageConfig?.ResolvedOutputS3Uri;
  const match = uri === undefined ? null : /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new Error(`feature group ${featureGroupName} has no offline store S3 location (ResolvedOutputS3Uri: ${uri ?? 'absent'})`);
  const key = match[2];
  return { bucket: match[1], dataPrefix: key === '' || key.endsWith('/') ? key : `${key}/` };
}

/** One record as the offline store holds it, with the event time it is partitioned by. */
export interface OfflineRecord {
  readonly record: readonly FeatureValue[];
  readonly eventTime: Date;
}

export interface OfflineBatchSource {
  /** The silver object's key and version (ETag): a new version of the file is new data. */
  readonly sourceKey: string;
  readonly sourceEtag: string;
  readonly rowGroup: number;
}

/** Parses an event time as Feature Store does: ISO-8601 for a String feature, seconds since the epoch for a Fractional one. */
export function eventTimeOf(group: FeatureGroupDefinition, record: readonly FeatureValue[]): Date {
  const value = record.find((feature) => feature.FeatureName === group.eventTimeFeature)?.ValueAsString;
  const type = group.features.find((feature) => feature.name === group.eventTimeFeature)?.type;
  const millis = value === undefined ? NaN : type === 'Fractional' ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(millis)) throw new Error(`record has no parsable event time ${group.eventTimeFeature}: ${value}`);
  return new Date(millis);
}

const HOUR_MS = 3_600_000;

/** Writes one batch; returns the keys written. `writeTime` fills write_time and api_invocation_time. */
export async function writeOfflineBatch(
  s3: S3Client,
  location: OfflineStoreLocation,
  group: FeatureGroupDefinition,
  records: readonly OfflineRecord[],
  source: OfflineBatchSource,
  writeTime: Date,
): Promise<string[]> {
  const byHour = new Map<number, OfflineRecord[]>();
  for (const record of records) {
    const hour = Math.floor(record.eventTime.getTime() / HOUR_MS) * HOUR_MS;
    byHour.set(hour, [...(byHour.get(hour) ?? []), record]);
  }
  const keys: string[] = [];
  for (const [hour, hourRecords] of [...byHour].sort(([a], [b]) => a - b)) {
    const latest = new Date(Math.max(...hourRecords.map((record) => record.eventTime.getTime())));
    const suffix = createHash('sha256')
      .update(`${group.name}\n${source.sourceKey}\n${source.sourceEtag}\n${source.rowGroup}\n${hour}`)
      .digest('hex')
      .slice(0, 16);
    const key = offlineStoreObjectKey(location.dataPrefix, new Date(hour), latest, suffix);
    const body = offlineParquet(group, hourRecords, writeTime);
    await s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: body, ContentType: 'application/vnd.apache.parquet' }));
    keys.push(key);
  }
  return keys;
}

const PARQUET_TYPE: Readonly<Record<FeatureType, 'STRING' | 'INT64' | 'DOUBLE'>> = { String: 'STRING', Integral: 'INT64', Fractional: 'DOUBLE' };

function typedValue(type: FeatureType, value: string | undefined): string | bigint | number | null {
  if (value === undefined) return null;
  if (type === 'Integral') return BigInt(value);
  if (type === 'Fractional') return Number(value);
  return value;
}

/** One Parquet file: a column per feature (null where a record leaves it out), then write_time, api_invocation_time, is_deleted. */
export function offlineParquet(group: FeatureGroupDefinition, records: readonly OfflineRecord[], writeTime: Date): Uint8Array {
  const values = records.map(({ record }) => new Map(record.map((feature) => [feature.FeatureName, feature.ValueAsString])));
  const columnData = [
    ...group.features.map((feature) => ({
      name: feature.name,
      data: values.map((row) => typedValue(feature.type, row.get(feature.name))),
      type: PARQUET_TYPE[feature.type],
      nullable: true,
    })),
    { name: 'write_time', data: records.map(() => writeTime), type: 'TIMESTAMP' as const, nullable: false },
    { name: 'api_invocation_time', data: records.map(() => writeTime), type: 'TIMESTAMP' as const, nullable: false },
    { name: 'is_deleted', data: records.map(() => false), type: 'BOOLEAN' as const, nullable: false },
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}
