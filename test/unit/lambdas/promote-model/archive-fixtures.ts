import { gzipSync } from 'node:zlib';
import { pack, type Headers } from 'tar-stream';

export interface ArchiveEntry {
  readonly name: string;
  readonly body?: string | Buffer;
  readonly type?: Headers['type'];
  readonly linkname?: string;
}

/** A real gzipped tar, as `tar czf` would write it, built with tar-stream's packer. */
export async function tarGz(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const packer = pack();
  const chunks: Buffer[] = [];
  packer.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => packer.on('end', resolve).on('error', reject));
  for (const { name, body, type = 'file', linkname } of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (type === 'file') packer.entry({ name, type }, body ?? '', done);
      else packer.entry({ name, type, linkname }, done);
    });
  }
  packer.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

/** Deterministic bytes standing in for an ONNX model of the given size. */
export function modelBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = state >>> 16;
  }
  return bytes;
}
