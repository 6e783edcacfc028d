import { Transform, type TransformCallback } from 'node:stream';
import type { ArchiveLimits } from '../../lib/config/promotion';

/** An archive over one of its limits: a property of the archive, so the package is rejected with this reason. */
export class ArchiveLimitError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ArchiveLimitError';
  }
}

const BLOCK = 512;
/** Typeflags of records that describe the next entry rather than being one; tar-stream buffers their data whole. */
const HEADER_RECORDS = new Set(['L', 'K', 'x', 'g']);

/** A tar header's numeric field: octal text, or GNU base-256 when the first byte has its high bit set. */
function numericField(block: Buffer, offset: number, length: number): number {
  if (block[offset] & 0x80) {
    let value = block[offset] & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i];
    return value;
  }
  const text = block
    .toString('latin1', offset, offset + length)
    .replace(/[\0 ]+$/, '')
    .trim();
  const value = Number.parseInt(text || '0', 8);
  return Number.isFinite(value) ? value : 0;
}

/** The `size` record of pax data ("<len> size=<n>\n"), if any. */
function paxSize(data: Buffer): number | undefined {
  const match = /(?:^|\n)\d+ size=(\d+)\n/.exec(data.toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

/**
 * Sits between gunzip and tar-stream and reads the tar's headers itself, so that limits hold while streaming and
 * BEFORE tar-stream buffers anything: tar-stream keeps a GNU long-name or pax header whole in memory (a 300 MiB
 * long-name header cost 1 GB), so their sizes are checked from the header block that announces them. It also counts
 * the bytes expanded and the entries, and stops the stream (ArchiveLimitError) the moment a limit is passed.
 * It follows the archive exactly as tar-stream does, pax `size` overrides included.
 */
export class TarGuard extends Transform {
  private expanded = 0;
  private entries = 0;
  private header = Buffer.alloc(0);
  /** Bytes of the current entry's data (padded to blocks) still to pass before the next header. */
  private skip = 0;
  /** Pax data being collected (bounded by maxHeaderBytes) to learn a `size` override. */
  private pax: { global: boolean; data: Buffer[]; remaining: number; padding: number } | undefined;
  private globalPaxSize: number | undefined;
  private nextSize: number | undefined;

  constructor(private readonly limits: ArchiveLimits) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.expanded += chunk.length;
    if (this.expanded > this.limits.maxExpandedBytes) {
      return done(new ArchiveLimitError(`the archive expands to more than ${this.limits.maxExpandedBytes} bytes (maxExpandedBytes)`));
    }
    try {
      this.inspect(chunk);
    } catch (error) {
      return done(error as Error);
    }
    done(null, chunk);
  }

  private inspect(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.pax !== undefined) {
        const take = Math.min(this.pax.remaining, chunk.length - at);
        this.pax.data.push(chunk.subarray(at, at + take));
        this.pax.remaining -= take;
        at += take;
        if (this.pax.remaining === 0) this.finishPax();
        continue;
      }
      if (this.skip > 0) {
        const take = Math.min(this.skip, chunk.length - at);
        this.skip -= take;
        at += take;
        continue;
      }
      const take = Math.min(BLOCK - this.header.length, chunk.length - at);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
      at += take;
      if (this.header.length === BLOCK) {
        this.readHeader(this.header);
        this.header = Buffer.alloc(0);
      }
    }
  }

  private readHeader(block: Buffer): void {
    if (block.every((byte) => byte === 0)) return; // end-of-archive padding
    const type = String.fromCharCode(block[156]);
    let size = numericField(block, 124, 12);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (HEADER_RECORDS.has(type)) {
      if (size > this.limits.maxHeaderBytes) {
        const what = type === 'x' || type === 'g' ? 'pax header' : 'GNU long-name header';
        throw new ArchiveLimitError(`the archive has a ${size}-byte ${what}, over ${this.limits.maxHeaderBytes} bytes (maxHeaderBytes)`);
      }
      if (type === 'x' || type === 'g') {
        this.pax = { global: type === 'g', data: [], remaining: size, padding };
        if (size === 0) this.finishPax();
        return;
      }
      this.skip = size + padding;
      return;
    }
    if (this.nextSize !== undefined) {
      size = this.nextSize;
      this.nextSize = undefined;
    }
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw new ArchiveLimitError(`the archive holds more than ${this.limits.maxEntries} entries (maxEntries)`);
    // A directory carries no data whatever its size field says (tar-stream reads it that way too).
    this.skip = type === '5' ? 0 : size + ((BLOCK - (size % BLOCK)) % BLOCK);
  }

  /** As tar-stream: a global pax header replaces the global values; a local one applies them, then its own, to the next entry. */
  private finishPax(): void {
    const pax = this.pax!;
    const size = paxSize(Buffer.concat(pax.data));
    if (pax.global) this.globalPaxSize = size;
    else this.nextSize = size ?? this.globalPaxSize;
    this.skip = pax.padding;
    this.pax = undefined;
  }
}
