import { modelVersionPrefix } from '../../lib/lakehouse';

/** The serving model repository layout the serving container polls: `{prefix}{model}/{version}/model.onnx` + `config.json`. */
export interface RepositoryLocation {
  readonly bucket: string;
  /** Empty, or ending with `/`. */
  readonly prefix: string;
}

export { MODEL_CONFIG_FILE as CONFIG_FILE, MODEL_FILE } from '../../lib/lakehouse';

/** S3 user metadata on a promoted model.onnx: which package it came from, and the source object's ETag. */
export const METADATA_PACKAGE_ARN = 'model-package-arn';
export const METADATA_PACKAGE_VERSION = 'model-package-version';
export const METADATA_SOURCE_ETAG = 'source-etag';

export function versionKey(repository: RepositoryLocation, model: string, version: number, file: string): string {
  return `${modelVersionPrefix(repository.prefix, model, String(version))}${file}`;
}

/** Validates MODEL_REPOSITORY_PREFIX: empty or a relative path ending with `/`. */
export function parseRepositoryPrefix(prefix: string): string {
  if (prefix === '' || /^[^/].*\/$/.test(prefix)) return prefix;
  throw new Error(`MODEL_REPOSITORY_PREFIX must be empty or end with '/' and not start with it, got '${prefix}'`);
}
