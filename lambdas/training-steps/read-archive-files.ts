import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { safeEntryPath } from '../promote-model/scan-archive';

/**
 * Reads the named files at the root of a gzipped tar (SageMaker's model.tar.gz of /opt/ml/model), each up to
 * `maxBytes`; every other entry is skipped unread. Files that are absent are absent from the result.
 */
export async function readArchiveFiles(archive: Readable, names: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
  const wanted = new Set(names);
  const found = new Map<string, Buffer>();
  const tar = extract();
  const done = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, stream, next) => {
      const path = safeEntryPath(header.name);
      const take = path !== undefined && wanted.has(path) && (header.type === 'file' || header.type === 'contiguous-file');
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        if (!take) return;
        size += chunk.length;
        if (size > maxBytes) {
          tar.destroy(new Error(`${path} in the model archive is larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (take) found.set(path, Buffer.concat(chunks));
        next();
      });
      stream.resume();
    });
    tar.on('finish', resolve);
    tar.on('error', reject);
  });
  const gunzip = createGunzip();
  gunzip.on('error', (error) => tar.destroy(error));
  archive.on('error', (error) => tar.destroy(error));
  archive.pipe(gunzip).pipe(tar);
  await done;
  return found;
}
