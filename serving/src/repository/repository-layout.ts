/** A file found in the repository, relative to its root, with something that changes when its content does. */
export interface RepositoryFile {
  readonly path: string;
  readonly fingerprint: string;
}

/** One version of one model found in the repository (a numeric folder holding a model.onnx). */
export interface RepositoryVersion {
  readonly model: string;
  readonly version: string;
  /** Changes when model.onnx or config.json of that version changes. */
  readonly fingerprint: string;
  readonly hasConfig: boolean;
}

export const MODEL_FILE = 'model.onnx';
export const CONFIG_FILE = 'config.json';
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const VERSION_NAME = /^[0-9]+$/;

/**
 * Which version of each model should serve: the newest (`latest`), or exactly one version of one model that a
 * deployment pinned (`SERVED_MODEL_VERSION`; `undefined` = pinned to nothing yet, no version approved).
 */
export type VersionSelection = { readonly kind: 'latest' } | { readonly kind: 'pinned'; readonly model: string; readonly version: string | undefined };

/** The versions a selection serves, among the files found; a pinned version that is absent selects nothing. */
export function selectVersions(files: readonly RepositoryFile[], selection: VersionSelection): RepositoryVersion[] {
  if (selection.kind === 'latest') return latestVersions(files);
  const { model, version } = selection;
  if (version === undefined) return [];
  return versionsOf(files).filter((entry) => entry.model === model && entry.version === version);
}

/** Groups `{model}/{version}/{model.onnx|config.json}` files into the latest version of each model; other files are ignored. */
export function latestVersions(files: readonly RepositoryFile[]): RepositoryVersion[] {
  const latest = new Map<string, RepositoryVersion>();
  for (const entry of versionsOf(files)) {
    const current = latest.get(entry.model);
    if (current !== undefined && BigInt(current.version) >= BigInt(entry.version)) continue;
    latest.set(entry.model, entry);
  }
  return [...latest.values()].sort((a, b) => a.model.localeCompare(b.model));
}

/** Every complete version (one with a model.onnx) found among the files. */
function versionsOf(files: readonly RepositoryFile[]): RepositoryVersion[] {
  const versions = new Map<string, { model?: string; config?: string }>();
  for (const file of files) {
    const parts = file.path.split('/');
    if (parts.length !== 3) continue;
    const [model, version, name] = parts as [string, string, string];
    if (!MODEL_NAME.test(model) || !VERSION_NAME.test(version) || (name !== MODEL_FILE && name !== CONFIG_FILE)) continue;
    const key = `${model}/${version}`;
    const entry = versions.get(key) ?? {};
    if (name === MODEL_FILE) entry.model = file.fingerprint;
    else entry.config = file.fingerprint;
    versions.set(key, entry);
  }
  const complete: RepositoryVersion[] = [];
  for (const [key, entry] of versions) {
    if (entry.model === undefined) continue;
    const [model, version] = key.split('/') as [string, string];
    complete.push({ model, version, fingerprint: `${entry.model}|${entry.config ?? ''}`, hasConfig: entry.config !== undefined });
  }
  return complete;
}
