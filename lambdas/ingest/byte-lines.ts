const LF = 10;
const CR = 13;

/** Called with each line's bytes (bytes[start, end), terminator excluded) and its 1-based number; may ask to wait. */
export type LineHandler = (bytes: Buffer, start: number, end: number, lineNumber: number) => Promise<void> | undefined;

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`expected bytes or text from the source stream, got ${typeof chunk}`);
}

/**
 * Splits a byte stream into lines the way `readline` does with `crlfDelay: Infinity` (terminators `\n`, `\r\n` and a
 * lone `\r`; no empty last line after a final terminator), without decoding them to strings: the caller decodes
 * only what it needs. A line split across chunks is joined once its end is found.
 */
export async function forEachLine(input: AsyncIterable<unknown>, onLine: LineHandler): Promise<void> {
  let lineNumber = 0;
  let pending: Buffer[] = []; // the start of a line whose end is in a later chunk
  let skipLeadingLf = false; // the previous chunk ended with `\r`: a `\n` starting this one belongs to it
  for await (const piece of input) {
    const chunk = toBuffer(piece);
    if (chunk.length === 0) continue;
    let start = skipLeadingLf && chunk[0] === LF ? 1 : 0;
    skipLeadingLf = false;
    let nextCr = chunk.indexOf(CR, start);
    for (;;) {
      let end = chunk.indexOf(LF, start);
      if (nextCr >= 0 && (end < 0 || nextCr < end)) end = nextCr;
      if (end < 0) break;
      let next = end + 1;
      if (chunk[end] === CR) {
        if (next === chunk.length) skipLeadingLf = true;
        else if (chunk[next] === LF) next++;
        nextCr = chunk.indexOf(CR, next);
      }
      let bytes = chunk;
      let lineStart = start;
      let lineEnd = end;
      if (pending.length > 0) {
        bytes = Buffer.concat([...pending, chunk.subarray(start, end)]);
        lineStart = 0;
        lineEnd = bytes.length;
        pending = [];
      }
      const wait = onLine(bytes, lineStart, lineEnd, ++lineNumber);
      if (wait) await wait;
      start = next;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) {
    const last = Buffer.concat(pending);
    const wait = onLine(last, 0, last.length, lineNumber + 1);
    if (wait) await wait;
  }
}
