/**
 * The lakehouse layout: every key and prefix the platform reads or writes, in one place. Constructs grant on these
 * prefixes, stacks pass them to functions as environment variables, and the Lambdas build their keys with these
 * functions, so a grant and the key it must cover cannot drift apart.
 *
 * | bucket | prefix | written by | holds |
 * |---|---|---|---|
 * | silver | `datasets/dataset=<d>/ingest_date=<YYYY-MM-DD>/<source-object-id>.parquet` | ingest | valid rows |
 * | silver | `quarantine/dataset=<d>/ingest_date=<YYYY-MM-DD>/<source-object-id>.jsonl` (prefix configurable) | ingest | rejected rows + reasons |
 * | silver | `materialization-failures/feature-group=<g>/dataset=<d>/ingest_date=<date>/<id>.jsonl` | materialize-features | rows that did not become records |
 * | silver | `materialization-progress/feature-group=<g>/dataset=<d>/ingest_date=<date>/<id>.json` | materialize-features | resume marker per file |
 * | silver | `inference-capture/<model>/<version>/dt=<YYYY-MM-DD>/<file>` | serving | sampled inference inputs/outputs |
 * | silver | `drift-detector/<model>/<version>/watermark.json`, `…/detections/<id>.json` | drift-detector | how far it read, what it emitted |
 * | gold | `feature-store/` | Feature Store (and materialize-features) | offline store Parquet |
 * | gold | `model-artifacts/<model>/runs/<run>/` (`<job>/output/model.tar.gz`, evaluation report, drift baseline, input manifest) | training pipeline | one run's outputs |
 * | gold | `model-artifacts/<model>/checkpoints/<run>/` | SageMaker (synced from `/opt/ml/checkpoints`) | training checkpoints |
 * | model repository | `models/<model>/<version>/model.onnx` + `config.json` (prefix configurable) | promotion | what serving loads |
 *
 * Only `datasets/` triggers materialization; only bronze triggers ingest: everything else lies outside both.
 */

/** Silver: validated rows, one Parquet file per bronze object version. Materialization listens here. */
export const DATASETS_PREFIX = 'datasets/';
/** Silver: rejected rows with their reasons (the construct prop `quarantinePrefix` may move it). */
export const DEFAULT_QUARANTINE_PREFIX = 'quarantine/';
/** Silver: rows materialize-features could not turn into feature records, one report per (group, file). */
export const MATERIALIZATION_FAILURES_PREFIX = 'materialization-failures/';
/** Silver: how far materialize-features got in a file, so a redelivered file resumes where it stopped. */
export const MATERIALIZATION_PROGRESS_PREFIX = 'materialization-progress/';
/** Silver: sampled inference inputs and outputs written by the serving container. */
export const INFERENCE_CAPTURE_PREFIX = 'inference-capture/';
/** Silver: the drift detector's watermarks and detection markers. */
export const DRIFT_DETECTOR_STATE_PREFIX = 'drift-detector/';
/** Gold: the feature groups' offline stores. */
export const FEATURE_STORE_PREFIX = 'feature-store/';
/** Gold: what training writes (ONNX artifacts registered as `ModelDataUrl`, checkpoints). */
export const MODEL_ARTIFACTS_PREFIX = 'model-artifacts/';
/** Model repository bucket: the serving layout `{model}/{version}/model.onnx` under this prefix (configurable). */
export const DEFAULT_MODEL_REPOSITORY_PREFIX = 'models/';

/** The Hive-style partition keys of a silver dataset, in path order. */
export const DATASET_PARTITION_KEYS = ['dataset', 'ingest_date'] as const;
/** The partition key of inference capture. */
export const CAPTURE_PARTITION_KEY = 'dt';
/** File names of one model version in the serving layout. */
export const MODEL_FILE = 'model.onnx';
export const MODEL_CONFIG_FILE = 'config.json';

/** One silver file, named by the bronze object version it came from. */
export interface DatasetObject {
  readonly dataset: string;
  /** `YYYY-MM-DD` (UTC) of the bronze object's creation. */
  readonly ingestDate: string;
  /** Stable per bronze object version: a replay maps to the same keys. */
  readonly sourceObjectId: string;
}

/** An IAM resource pattern for every key under a prefix (`datasets/` → `datasets/*`). */
export function keysUnder(prefix: string): string {
  return `${prefix}*`;
}

/** `<prefix>dataset=<d>/ingest_date=<date>/`: the Hive partition path of one dataset (and day), under any prefix. */
export function partitionPath(prefix: string, dataset: string, ingestDate?: string): string {
  return `${prefix}dataset=${dataset}/${ingestDate === undefined ? '' : `ingest_date=${ingestDate}/`}`;
}

/** Silver key of the valid rows of one bronze object version. */
export function datasetObjectKey(object: DatasetObject): string {
  return `${partitionPath(DATASETS_PREFIX, object.dataset, object.ingestDate)}${object.sourceObjectId}.parquet`;
}

/** Silver key of the rejected rows of one bronze object version. */
export function quarantineObjectKey(object: DatasetObject, quarantinePrefix: string = DEFAULT_QUARANTINE_PREFIX): string {
  return `${partitionPath(quarantinePrefix, object.dataset, object.ingestDate)}${object.sourceObjectId}.jsonl`;
}

const DATASET_OBJECT_KEY = /^datasets\/dataset=([^/]+)\/ingest_date=(\d{4}-\d{2}-\d{2})\/([^/]+)\.parquet$/;

/** The inverse of `datasetObjectKey`; undefined for any other key (quarantine files, reports, progress markers). */
export function parseDatasetObjectKey(key: string): DatasetObject | undefined {
  const match = DATASET_OBJECT_KEY.exec(key);
  return match ? { dataset: match[1], ingestDate: match[2], sourceObjectId: match[3] } : undefined;
}

/** `…feature-group=<g>/dataset=<d>/ingest_date=<date>/<id>`: one (feature group, silver file) under a prefix. */
function perGroupFileKey(prefix: string, featureGroup: string, object: DatasetObject, extension: string): string {
  return `${partitionPath(`${prefix}feature-group=${featureGroup}/`, object.dataset, object.ingestDate)}${object.sourceObjectId}.${extension}`;
}

/** Silver key of the failure report of one (feature group, silver file). */
export function materializationFailureKey(featureGroup: string, object: DatasetObject): string {
  return perGroupFileKey(MATERIALIZATION_FAILURES_PREFIX, featureGroup, object, 'jsonl');
}

/** Silver key of the progress marker of one (feature group, silver file). */
export function materializationProgressKey(featureGroup: string, object: DatasetObject): string {
  return perGroupFileKey(MATERIALIZATION_PROGRESS_PREFIX, featureGroup, object, 'json');
}

/** `inference-capture/<model>/[<version>/[dt=<date>/]]`: the capture of one model, one version, one day. */
export function inferenceCapturePrefix(model: string, version?: string, date?: string): string {
  let prefix = `${INFERENCE_CAPTURE_PREFIX}${model}/`;
  if (version !== undefined) prefix += `${version}/`;
  if (version !== undefined && date !== undefined) prefix += `${CAPTURE_PARTITION_KEY}=${date}/`;
  return prefix;
}

/** Silver key of one capture file. */
export function inferenceCaptureKey(model: string, version: string, date: string, fileName: string): string {
  return `${inferenceCapturePrefix(model, version, date)}${fileName}`;
}

/** Silver key of the drift detector's watermark for one model version: the end of the last window it decided on. */
export function driftWatermarkKey(model: string, version: string): string {
  return `${DRIFT_DETECTOR_STATE_PREFIX}${model}/${version}/watermark.json`;
}

/** Silver key marking that the drift detector emitted one detection (re-runs over the same window emit nothing). */
export function driftDetectionMarkerKey(model: string, version: string, detectionId: string): string {
  return `${DRIFT_DETECTOR_STATE_PREFIX}${model}/${version}/detections/${detectionId}.json`;
}

/** `model-artifacts/<model>/`: everything training writes for one model. */
export function modelArtifactsPrefix(model: string): string {
  return `${MODEL_ARTIFACTS_PREFIX}${model}/`;
}

/** `model-artifacts/<model>/checkpoints/`: the checkpoints of every training run of a model. */
export function trainingCheckpointsPrefix(model: string): string {
  return `${modelArtifactsPrefix(model)}checkpoints/`;
}

/** `model-artifacts/<model>/checkpoints/<run>/`: the checkpoints of one training run (resumed after spot interruption). */
export function trainingCheckpointPrefix(model: string, run: string): string {
  return `${trainingCheckpointsPrefix(model)}${run}/`;
}

/** `model-artifacts/<model>/runs/`: the outputs of every training run of a model. */
export function trainingRunsPrefix(model: string): string {
  return `${modelArtifactsPrefix(model)}runs/`;
}

/** `model-artifacts/<model>/runs/<run>/`: one training run's outputs (SageMaker's `<job>/output/model.tar.gz` and the reports). */
export function trainingRunPrefix(model: string, run: string): string {
  return `${trainingRunsPrefix(model)}${run}/`;
}

/** `<repository prefix><model>/<version>/`: one model version in the serving layout. */
export function modelVersionPrefix(repositoryPrefix: string, model: string, version: string): string {
  return `${repositoryPrefix}${model}/${version}/`;
}

/**
 * Key of one offline-store Parquet file, as Feature Store lays them out (Developer Guide, "offline store data format"):
 * `<ResolvedOutputS3Uri key>/year=<YYYY>/month=<MM>/day=<DD>/hour=<HH>/<latest event time, yyyyMMddTHHmmssZ>_<16 alphanumerics>.parquet`,
 * partitioned by the event time's UTC hour. `dataKeyPrefix` is the key part of the group's `ResolvedOutputS3Uri` (ending in
 * `data/`); `suffix16` is 16 letters or digits, deterministic when the writer wants a rewrite to land on the same key.
 */
export function offlineStoreObjectKey(dataKeyPrefix: string, hourStart: Date, latestEventTime: Date, suffix16: string): string {
  if (!/^[A-Za-z0-9]{16}$/.test(suffix16)) throw new RangeError(`offline store file suffix must be 16 letters or digits, got "${suffix16}"`);
  const iso = hourStart.toISOString();
  const partition = `year=${iso.slice(0, 4)}/month=${iso.slice(5, 7)}/day=${iso.slice(8, 10)}/hour=${iso.slice(11, 13)}/`;
  const stamp = latestEventTime
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  const prefix = dataKeyPrefix.endsWith('/') ? dataKeyPrefix : `${dataKeyPrefix}/`;
  return `${prefix}${partition}${stamp}_${suffix16}.parquet`;
}

/** A key prefix: `/`-separated segments of letters, digits and `_-=.`, ending in `/` (or empty where allowed). */
export const KEY_PREFIX_PATTERN = /^[A-Za-z0-9_\-=.]+(\/[A-Za-z0-9_\-=.]+)*\/$/;

/** Environment variables through which a stack hands a function the configurable parts of the layout. */
export const LAYOUT_ENVIRONMENT = {
  /** The silver quarantine prefix (`LakehouseStorage.quarantinePrefix`). */
  quarantinePrefix: 'QUARANTINE_PREFIX',
  /** The model repository prefix (`ModelRepository.prefix`). */
  modelRepositoryPrefix: 'MODEL_REPOSITORY_PREFIX',
} as const;
