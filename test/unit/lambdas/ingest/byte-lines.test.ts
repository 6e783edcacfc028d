import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { forEachLine, type LineOptions } from '../../../../lambdas/ingest/byte-lines';

const NO_LIMIT: LineOptions = { maxLineBytes: Number.MAX_SAFE_INTEGER, onOverlongLine: () => undefined };

async function viaReadline(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

async function viaForEachLine(chunks: unknown[]): Promise<string[]> {
  const lines: string[] = [];
  await forEachLine(
    Readable.from(chunks),
    (bytes, start, end, lineNumber) => {
      lines.push(bytes.toString('utf8', start, end));
      expect(lineNumber).toBe(lines.length);
      return undefined;
    },
    NO_LIMIT,
  );
  return lines;
}

/** Cuts bytes at the given positions (sorted, deduplicated). */
function cut(bytes: Buffer, positions: number[]): Buffer[] {
  const points = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

describe('forEachLine', () => {
  it('gives the same lines as readline (crlfDelay: Infinity) however the bytes are chunked (property)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', '\n', '\r', '\r\n', 'é', '€', '"', ' ') });
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 6 }), async (t, positions) => {
        const chunks = cut(Buffer.from(t, 'utf8'), positions);
        expect(await viaForEachLine(chunks)).toEqual(await viaReadline(chunks));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts text chunks (an object-mode source) and waits for the handler', async () => {
    const seen: string[] = [];
    await forEachLine(
      Readable.from(['ab\r', '\ncd\n', 'e']),
      (bytes, start, end) => {
        seen.push(bytes.toString('utf8', start, end));
        return new Promise((resolve) => setImmediate(resolve));
      },
      NO_LIMIT,
    );
    expect(seen).toEqual(['ab', 'cd', 'e']);
  });

  it('fails when the source fails', async () => {
    async function* broken() {
      yield 'a\n';
      throw new Error('connection reset');
    }
    await expect(forEachLine(Readable.from(broken()), () => undefined, NO_LIMIT)).rejects.toThrow('connection reset');
  });
});
