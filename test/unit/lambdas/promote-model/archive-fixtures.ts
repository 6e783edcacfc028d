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

/** A ustar header block (checksum filled in) announcing `size` bytes of type `type`. */
export function headerBlock(name: string, type: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'latin1');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write(type, 156, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}
