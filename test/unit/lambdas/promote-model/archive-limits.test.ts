import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { ArchiveLimits } from '../../../../lib/config/promotion';
import { scanModelArchive } from '../../../../lambdas/promote-model/scan-archive';
import { headerBlock, modelBytes, tarGz } from './archive-fixtures';

// Each case reproduces, at a reduced scale (the limits scale with it), an archive that was promoted or exhausted memory
// when promotion was attacked (issue 10); each must now be rejected while streaming, naming the limit it passed.

const WHERE = 's3://training/run-7/output/model.tar.gz';
const MIB = 1024 * 1024;
const LIMITS: ArchiveLimits = { maxModelBytes: 2 * MIB, maxExpandedBytes: 8 * MIB, maxEntries: 50, maxHeaderBytes: 16 * 1024 };

async function scan(archive: Buffer | Readable, limits = LIMITS) {
  const sink = new PassThrough();
  let received = 0;
  sink.on('data', (chunk: Buffer) => (received += chunk.length));
  const started = performance.now();
  const result = await scanModelArchive(Buffer.isBuffer(archive) ? Readable.from([archive]) : archive, sink, WHERE, limits);
  return { result, received, ms: performance.now() - started };
}

describe('archive limits, enforced while streaming', () => {
  it('a small archive expanding to a model over maxModelBytes is rejected before any of it reaches the repository', async () => {
    const archive = await tarGz([{ name: 'model.onnx', body: Buffer.alloc(64 * MIB) }]);
    expect(archive.length).toBeLessThan(MIB / 4);
    const { result, received } = await scan(archive, { ...LIMITS, maxExpandedBytes: 128 * MIB });
    expect(result).toEqual({ ok: false, reasons: [`${WHERE}: model.onnx is ${64 * MIB} bytes uncompressed, over ${2 * MIB} bytes (maxModelBytes)`] });
    expect(received).toBe(0);
  });

  it('junk expanding past maxExpandedBytes beside a valid model is rejected at the limit, not after reading it all', async () => {
    const archive = await tarGz([
      { name: 'model.onnx', body: modelBytes(1024) },
      { name: 'junk.bin', body: Buffer.alloc(64 * MIB) },
    ]);
    const { result } = await scan(archive);
    expect(result).toEqual({ ok: false, reasons: [`${WHERE}: the archive expands to more than ${8 * MIB} bytes (maxExpandedBytes)`] });
  });

  it('a 300 MiB GNU long-name header is refused from the block announcing it, before tar-stream buffers it', async () => {
    // The header announces 300 MiB; the data that follows is never needed to reject it.
    const archive = gzipSync(Buffer.concat([headerBlock('././@LongLink', 'L', 300 * MIB), Buffer.alloc(MIB, 0x61)]));
    const before = process.memoryUsage().rss;
    const { result } = await scan(archive);
    expect(result).toEqual({ ok: false, reasons: [`${WHERE}: the archive has a ${300 * MIB}-byte GNU long-name header, over 16384 bytes (maxHeaderBytes)`] });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MIB);
  });

  it('pax paths of 60 KB are refused at the first one (maxHeaderBytes)', async () => {
    const entries = Array.from({ length: 200 }, (_, i) => ({ name: `${'d'.repeat(60_000)}/${i}.txt`, body: 'x' }));
    const { result, ms } = await scan(await tarGz([{ name: 'model.onnx', body: 'm' }, ...entries]));
    expect(result).toEqual({
      ok: false,
      reasons: [expect.stringMatching(new RegExp(`^${WHERE}: the archive has a \\d+-byte pax header, over 16384 bytes \\(maxHeaderBytes\\)$`))],
    });
    expect(ms).toBeLessThan(2000);
  });

  it('thousands of entries are refused past maxEntries', async () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({ name: `f/${i}`, body: '' }));
    const { result } = await scan(await tarGz([{ name: 'model.onnx', body: 'm' }, ...entries]));
    expect(result).toEqual({ ok: false, reasons: [`${WHERE}: the archive holds more than 50 entries (maxEntries)`] });
  });

  it('long (pax) names within the limit keep the guard in step with tar-stream: the model behind them is served', async () => {
    const archive = await tarGz([
      { name: `${'a'.repeat(300)}/notes.txt`, body: 'hello' },
      { name: `${'b'.repeat(200)}/model.onnx`, body: modelBytes(5000) },
      { name: `${'b'.repeat(200)}/config.json`, body: '{"maxBatchSize": 8}' },
    ]);
    const { result, received } = await scan(archive);
    expect(result).toMatchObject({ ok: true, modelPath: `${'b'.repeat(200)}/model.onnx`, config: '{"maxBatchSize": 8}' });
    expect(received).toBe(5000);
  });
});

describe('archive scanning fuzzing (property, byte level)', () => {
  it('any mutation of a valid archive ends in a served model or reasons, never a crash, never more than maxModelBytes', async () => {
    const tar = gunzipSync(
      await tarGz([
        { name: 'm/model.onnx', body: modelBytes(3000) },
        { name: 'm/config.json', body: '{"instances": 2}' },
        { name: `${'p'.repeat(150)}/x`, body: 'y' },
      ]),
    );
    const mutations = fc.array(fc.tuple(fc.nat({ max: tar.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(mutations, fc.boolean(), async (edits, truncate) => {
        const bytes = Buffer.from(tar);
        for (const [at, value] of edits) bytes[at] = value;
        const archive = gzipSync(truncate ? bytes.subarray(0, edits[0][0]) : bytes);
        const { result, received } = await scan(archive, { ...LIMITS, maxModelBytes: 4096 });
        if (!result.ok) expect(result.reasons.length).toBeGreaterThan(0);
        expect(received).toBeLessThanOrEqual(4096);
      }),
    );
  });
});
