import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RepositoryFile } from './repository-layout';
import type { RepositorySource } from './repository-source';

/** A model repository in a local folder. Replace files atomically (write elsewhere, then rename) so a poll never sees half a file. */
export class LocalRepositorySource implements RepositorySource {
  readonly location: string;

  constructor(root: string) {
    this.location = resolve(root);
  }

  async listFiles(): Promise<RepositoryFile[]> {
    const files: RepositoryFile[] = [];
    for (const model of await subdirectories(this.location)) {
      for (const version of await subdirectories(join(this.location, model))) {
        for (const name of await readdir(join(this.location, model, version))) {
          const path = `${model}/${version}/${name}`;
          // stat follows symlinks (mounted volumes, ConfigMaps); a dangling link is skipped.
          const info = await stat(join(this.location, path)).catch(() => undefined);
          if (info?.isFile()) files.push({ path, fingerprint: `${info.size}:${info.mtimeMs}:${info.ino}` });
        }
      }
    }
    return files;
  }

  async readFile(path: string): Promise<Uint8Array> {
    return readFile(join(this.location, path));
  }
}

async function subdirectories(path: string): Promise<string[]> {
  const names = await readdir(path);
  const isDirectory = await Promise.all(
    names.map((name) =>
      stat(join(path, name)).then(
        (info) => info.isDirectory(),
        () => false,
      ),
    ),
  );
  return names.filter((_, i) => isDirectory[i]);
}
