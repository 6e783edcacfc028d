/** A file found in the repository, relative to its root, with something that changes when its content does. */
export interface RepositoryFile {
  readonly path: string;
  readonly fingerprint: string;
}

/** The version of one model that should be serving: the highest numeric folder holding a model.onnx. */
export interface LatestVersion {
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

/** Groups `{model}/{version}/{model.onnx|config.json}` files into the latest version of each model; other files are ignored. */
export function latestVersions(files: readonly RepositoryFile[]): LatestVersion[] {
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
  const latest = new Map<string, LatestVersion>();
  for (const [key, entry] of versions) {
    if (entry.model === undefined) continue;
    const [model, version] = key.split('/') as [string, string];
    const current = latest.get(model);
    if (current !== undefined && BigInt(current.version) >= BigInt(version)) continue;
    latest.set(model, { model, version, fingerprint: `${entry.model}|${entry.config ?? ''}`, hasConfig: entry.config !== undefined });
  }
  return [...latest.values()].sort((a, b) => a.model.localeCompare(b.model));
}
