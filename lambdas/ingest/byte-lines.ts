const LF = 10;
const CR = 13;

/** How a line ended: `''` for a last line without a terminator. Kept so that a record spanning lines keeps its bytes. */
export type LineTerminator = '' | '\n' | '\r\n' | '\r';

/** Called with each line's bytes (bytes[start, end), terminator excluded) and its 1-based number; may ask to wait. */
export type LineHandler = (bytes: Buffer, start: number, end: number, lineNumber: number, terminator: LineTerminator) => Promise<void> | undefined;

/**
 * Called instead of the line handler for a line longer than `maxLineBytes`: only its first `prefix.length` bytes
 * were kept, the rest was read and dropped, so memory stays bounded whatever the line's length.
 */
export type OverlongLineHandler = (prefix: Buffer, lineBytes: number, lineNumber: number, terminator: LineTerminator) => Promise<void> | undefined;

export interface LineOptions {
  /** Longest line handed to the line handler, terminator excluded. */
  readonly maxLineBytes: number;
  readonly onOverlongLine: OverlongLineHandler;
}

/** Bytes of an over-long line kept for its quarantine record. */
export const OVERLONG_PREFIX_BYTES = 1024;

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`expected bytes or text from the source stream, got ${typeof chunk}`);
}

/** The start of a line whose end is in a later chunk: its pieces, or only a prefix once it is known to be too long. */
class PendingLine {
  private pieces: Buffer[] = [];
  /** Bytes of the line seen so far. */
  length = 0;
  overlong = false;
  private prefix: Buffer | undefined;

  constructor(private readonly maxLineBytes: number) {}

  get isEmpty(): boolean {
    return this.length === 0 && !this.overlong;
  }

  add(piece: Buffer): void {
    this.length += piece.length;
    if (this.overlong) return;
    if (this.length <= this.maxLineBytes) {
      this.pieces.push(piece);
      return;
    }
    this.overlong = true;
    this.prefix = Buffer.concat([...this.pieces, piece]).subarray(0, OVERLONG_PREFIX_BYTES);
    this.pieces = [];
  }

  /** The whole line (when not over-long); resets. */
  take(): Buffer {
    const line = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces);
    this.reset();
    return line;
  }

  takePrefix(): Buffer {
    const prefix = Buffer.from(this.prefix ?? Buffer.alloc(0)); // a copy: the chunk it points into can be released
    this.reset();
    return prefix;
  }

  private reset(): void {
    this.pieces = [];
    this.length = 0;
    this.overlong = false;
    this.prefix = undefined;
  }
}

/**
 * Splits a byte stream into lines the way `readline` does with `crlfDelay: Infinity` (terminators `\n`, `\r\n` and a
 * lone `\r`; no empty last line after a final terminator), without decoding them to strings: the caller decodes
 * only what it needs. A line split across chunks is joined once its end is found; a line longer than
 * `maxLineBytes` goes to `onOverlongLine` with its first bytes only, so memory is bounded by the limit.
 */
export async function forEachLine(input: AsyncIterable<unknown>, onLine: LineHandler, options: LineOptions): Promise<void> {
  const { maxLineBytes, onOverlongLine } = options;
  let lineNumber = 0;
  const pending = new PendingLine(maxLineBytes);
  let pendingCr = false; // the previous chunk ended with `\r`, ending the pending line: `\r\n` or a lone `\r`?

  const emitPending = (terminator: LineTerminator): Promise<void> | undefined => {
    if (pending.overlong) {
      const lineBytes = pending.length;
      return onOverlongLine(pending.takePrefix(), lineBytes, ++lineNumber, terminator);
    }
    const line = pending.take();
    return onLine(line, 0, line.length, ++lineNumber, terminator);
  };

  for await (const piece of input) {
    const chunk = toBuffer(piece);
    if (chunk.length === 0) continue;
    let start = 0;
    if (pendingCr) {
      pendingCr = false;
      const crlf = chunk[0] === LF;
      if (crlf) start = 1;
      const wait = emitPending(crlf ? '\r\n' : '\r');
      if (wait) await wait;
    }
    let nextCr = chunk.indexOf(CR, start);
    for (;;) {
      let end = chunk.indexOf(LF, start);
      if (nextCr >= 0 && (end < 0 || nextCr < end)) end = nextCr;
      if (end < 0) break;
      let next = end + 1;
      let terminator: LineTerminator = '\n';
      if (chunk[end] === CR) {
        if (next === chunk.length) {
          // Whether this `\r` is half of a `\r\n` is known only from the next chunk.
          pending.add(chunk.subarray(start, end));
          pendingCr = true;
          start = next;
          break;
        }
        if (chunk[next] === LF) {
          next++;
          terminator = '\r\n';
        } else terminator = '\r';
        nextCr = chunk.indexOf(CR, next);
      }
      let wait: Promise<void> | undefined;
      if (!pending.isEmpty) {
        pending.add(chunk.subarray(start, end));
        wait = emitPending(terminator);
      } else if (end - start > maxLineBytes) {
        const prefix = Buffer.from(chunk.subarray(start, start + OVERLONG_PREFIX_BYTES));
        wait = onOverlongLine(prefix, end - start, ++lineNumber, terminator);
      } else {
        wait = onLine(chunk, start, end, ++lineNumber, terminator);
      }
      if (wait) await wait;
      start = next;
    }
    if (start < chunk.length) pending.add(chunk.subarray(start));
  }
  if (pendingCr || !pending.isEmpty) {
    const wait = emitPending(pendingCr ? '\r' : '');
    if (wait) await wait;
  }
}
