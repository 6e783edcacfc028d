import { createHash } from 'node:crypto';
import { datasetObjectKey, quarantineObjectKey } from '../../lib/lakehouse';
import type { S3ObjectCreated } from '../shared/s3-object-created-event';
import { PoisonObjectError } from './errors';

export type SourceFormat = 'csv' | 'jsonl';

/** A bronze object version, as named by its S3 event; `createdAt` (the event time) gives the `ingest_date` partition. */
export type SourceObjectRef = S3ObjectCreated;

export interface SourceObject extends SourceObjectRef {
  readonly dataset: string;
  readonly format: SourceFormat;
  /** Stable per object version: a replay of the same version maps to the same silver keys. */
  readonly sourceObjectId: string;
  readonly ingestDate: string;
}

const FORMAT_BY_EXTENSION: Readonly<Record<string, SourceFormat>> = { csv: 'csv', jsonl: 'jsonl' };
const ID_HASH_HEX_CHARS = 20;

/** Reads the dataset and format from a bronze key `<dataset>/<any path>/<file>.csv|.jsonl`. */
export function describeSourceObject(ref: SourceObjectRef): SourceObject {
  const segments = ref.key.split('/');
  const fileName = segments[segments.length - 1];
  if (segments.length < 2 || segments[0] === '') {
    throw new PoisonObjectError(`key "${ref.key}" has no dataset prefix; expected <dataset>/<path>/<file>.csv|.jsonl`);
  }
  const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : '';
  const format = FORMAT_BY_EXTENSION[extension];
  if (!format) throw new PoisonObjectError(`key "${ref.key}" is not a .csv or .jsonl file`);
  const version = ref.versionId ?? ref.etag;
  if (!version) throw new PoisonObjectError(`event for key "${ref.key}" carries neither a version id nor an etag`);
  const baseName = fileName
    .slice(0, fileName.lastIndexOf('.'))
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 80);
  const hash = createHash('sha256').update(`${ref.key}\n${version}`).digest('hex').slice(0, ID_HASH_HEX_CHARS);
  return {
    ...ref,
    dataset: segments[0],
    format,
    sourceObjectId: `${baseName}-${hash}`,
    ingestDate: ref.createdAt.toISOString().slice(0, 10),
  };
}

/** Silver key of the object's valid rows (the lakehouse layout). */
export function silverParquetKey(source: SourceObject): string {
  return datasetObjectKey(source);
}

/** Silver key of the object's rejected rows and their reasons, under the lakehouse's quarantine prefix. */
export function quarantineKey(source: SourceObject, quarantinePrefix?: string): string {
  return quarantineObjectKey(source, quarantinePrefix);
}
