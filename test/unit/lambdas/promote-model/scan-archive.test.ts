import { PassThrough, Readable, Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ARCHIVE_CONFIG_MAX_BYTES, safeEntryPath, scanModelArchive } from '../../../../lambdas/promote-model/scan-archive';
import type { ArchiveLimits } from '../../../../lib/config/promotion';
import { modelBytes, tarGz, type ArchiveEntry } from './archive-fixtures';

const WHERE = 's3://training/run-42/output/model.tar.gz';
const LIMITS: ArchiveLimits = { maxModelBytes: 64 * 1024 * 1024, maxExpandedBytes: 256 * 1024 * 1024, maxEntries: 100, maxHeaderBytes: 16384 };

/** Scans an archive into a collecting sink; ends the sink on success, as the caller does, and returns what it got. */
async function scan(archive: Buffer | Readable, sinkOptions: { highWaterMark?: number } = {}, limits = LIMITS) {
  const sink = new PassThrough(sinkOptions);
  const received: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => received.push(chunk));
  const result = await scanModelArchive(Buffer.isBuffer(archive) ? Readable.from([archive]) : archive, sink, WHERE, limits);
  if (result.ok) sink.end();
  return { result, model: Buffer.concat(received), sinkEnded: sink.writableEnded };
}

const scanEntries = async (entries: readonly ArchiveEntry[]) => scan(await tarGz(entries));

describe('scanModelArchive: what it serves', () => {
  it('streams the one .onnx at any depth into the sink, with the config.json beside it, and counts what it skipped', async () => {
    const onnx = modelBytes(3 * 1024 * 1024 + 17);
    const { result, model } = await scanEntries([
      { name: 'export/', type: 'directory' },
      { name: 'export/onnx/', type: 'directory' },
      { name: 'export/onnx/config.json', body: '{"maxBatchSize": 32}' },
      { name: 'export/onnx/churn.onnx', body: onnx },
      { name: 'export/metrics.json', body: '{"auc": 0.91}' },
      { name: 'config.json', body: '{"maxBatchSize": 1}' },
    ]);
    expect(result).toEqual({
      ok: true,
      modelPath: 'export/onnx/churn.onnx',
      config: '{"maxBatchSize": 32}',
      configPath: 'export/onnx/config.json',
      skippedEntries: 4,
    });
    expect(model.equals(onnx)).toBe(true);
  });

  it('takes a config.json that comes after the model, accepts ./ paths, and has no config when none sits beside the model', async () => {
    const onnx = modelBytes(1000);
    const after = await scanEntries([
      { name: './model.onnx', body: onnx },
      { name: './config.json', body: '{"threads": 2}' },
    ]);
    expect(after.result).toEqual({ ok: true, modelPath: 'model.onnx', config: '{"threads": 2}', configPath: 'config.json', skippedEntries: 0 });
    const elsewhere = await scanEntries([
      { name: 'other/config.json', body: '{}' },
      { name: 'model/model.onnx', body: onnx },
    ]);
    expect(elsewhere.result).toEqual({ ok: true, modelPath: 'model/model.onnx', config: undefined, configPath: undefined, skippedEntries: 1 });
    expect(elsewhere.model.equals(onnx)).toBe(true);
  });

  it('honours the sink backpressure: a 4 MB model through a 1 KB sink arrives whole', async () => {
    const onnx = modelBytes(4 * 1024 * 1024, 7);
    const { result, model } = await scan(await tarGz([{ name: 'model.onnx', body: onnx }]), { highWaterMark: 1024 });
    expect(result.ok).toBe(true);
    expect(model.equals(onnx)).toBe(true);
  });
});

describe('scanModelArchive: what it rejects, with every reason, leaving the sink open', () => {
  it.each<[string, ArchiveEntry[], string[]]>([
    [
      'two .onnx files',
      [
        { name: 'a/model.onnx', body: 'a' },
        { name: 'b/model.onnx', body: 'b' },
      ],
      [`${WHERE} holds more than one .onnx file (a/model.onnx, b/model.onnx); it must hold exactly one`],
    ],
    [
      'no .onnx file',
      [
        { name: 'model.pkl', body: 'x' },
        { name: 'config.json', body: '{}' },
      ],
      [`${WHERE} holds no .onnx file; it must hold exactly one`],
    ],
    [
      'a ../ path',
      [
        { name: '../../etc/model.onnx', body: 'x' },
        { name: 'model.onnx', body: 'm' },
      ],
      [`${WHERE}: entry "../../etc/model.onnx" has an absolute or '..' path`],
    ],
    [
      'an absolute path',
      [{ name: '/opt/ml/model/model.onnx', body: 'x' }],
      [`${WHERE}: entry "/opt/ml/model/model.onnx" has an absolute or '..' path`, `${WHERE} holds no .onnx file; it must hold exactly one`],
    ],
    [
      'a symlink as the model',
      [{ name: 'model.onnx', type: 'symlink', linkname: '/etc/passwd' }],
      [`${WHERE}: model.onnx is a symlink entry; the model must be a regular file`],
    ],
    [
      'a hard link as the model beside a real one',
      [
        { name: 'real.onnx', body: 'm' },
        { name: 'model.onnx', type: 'link', linkname: 'real.onnx' },
      ],
      [
        `${WHERE}: model.onnx is a link entry; the model must be a regular file`,
        `${WHERE} holds more than one .onnx file (real.onnx, model.onnx); it must hold exactly one`,
      ],
    ],
    [
      'a config.json that is not JSON',
      [
        { name: 'm/model.onnx', body: 'm' },
        { name: 'm/config.json', body: '{maxBatchSize: 1' },
      ],
      [expect.stringMatching(/^m\/config\.json in s3:\/\/training\/run-42\/output\/model\.tar\.gz is not valid JSON: /)],
    ],
    [
      'a config.json holding an array',
      [
        { name: 'config.json', body: '[1]' },
        { name: 'model.onnx', body: 'm' },
      ],
      [`config.json in ${WHERE} must hold a JSON object`],
    ],
    [
      'a config.json symlink',
      [
        { name: 'config.json', type: 'symlink', linkname: '/etc/shadow' },
        { name: 'model.onnx', body: 'm' },
      ],
      [`${WHERE}: config.json is a symlink entry; config.json must be a regular file`],
    ],
    [
      'a config.json twice',
      [
        { name: 'config.json', body: '{}' },
        { name: 'config.json', body: '{"threads": 1}' },
        { name: 'model.onnx', body: 'm' },
      ],
      [`${WHERE}: config.json appears more than once`],
    ],
  ])('%s', async (_case, entries, reasons) => {
    const { result, sinkEnded } = await scanEntries(entries);
    expect(result).toEqual({ ok: false, reasons });
    expect(sinkEnded).toBe(false);
  });

  it('a config.json larger than the limit', async () => {
    const big = `{"pad": "${'x'.repeat(ARCHIVE_CONFIG_MAX_BYTES)}"}`;
    const { result } = await scanEntries([
      { name: 'model.onnx', body: 'm' },
      { name: 'config.json', body: big },
    ]);
    expect(result).toEqual({ ok: false, reasons: [`${WHERE}: config.json is ${big.length} bytes; at most ${ARCHIVE_CONFIG_MAX_BYTES} are read`] });
  });

  it('a body that is not gzip', async () => {
    const { result } = await scan(Buffer.from('PK\u0003\u0004 this is a zip, not a gzip'));
    expect(result).toEqual({ ok: false, reasons: [`${WHERE} is not a gzip-compressed tar: incorrect header check`] });
  });

  it('gzip that does not hold a tar', async () => {
    const { result } = await scan(gzipSync(Buffer.from('just some text, not a tar archive at all '.repeat(40))));
    expect(result).toEqual({ ok: false, reasons: [expect.stringMatching(/^s3:\/\/training\/run-42\/output\/model\.tar\.gz is not a valid tar archive: /)] });
  });

  it('a truncated archive, even after the model entry began', async () => {
    const archive = await tarGz([{ name: 'model.onnx', body: modelBytes(200_000) }]);
    const { result, sinkEnded } = await scan(archive.subarray(0, Math.floor(archive.length / 2)));
    expect(result).toEqual({ ok: false, reasons: [`${WHERE} is not a gzip-compressed tar: unexpected end of file`] });
    expect(sinkEnded).toBe(false);
  });

  it('a tar cut short inside a well-formed gzip', async () => {
    const tarBytes = gunzipSync(await tarGz([{ name: 'model.onnx', body: modelBytes(200_000) }]));
    const { result } = await scan(gzipSync(tarBytes.subarray(0, 100_000)));
    expect(result).toEqual({ ok: false, reasons: [expect.stringMatching(/^s3:\/\/training\/run-42\/output\/model\.tar\.gz is not a valid tar archive: /)] });
  });
});

describe('scanModelArchive: failures that are not the archive’s fault are thrown, so Lambda retries', () => {
  it('a read failure of the archive stream', async () => {
    const archive = await tarGz([{ name: 'model.onnx', body: modelBytes(500_000) }]);
    const failing = new Readable({
      read() {
        this.push(archive.subarray(0, 1000));
        this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      },
    });
    await expect(scan(failing)).rejects.toThrow('socket hang up');
  });

  it('a failure of the model sink (the repository upload)', async () => {
    const archive = await tarGz([{ name: 'model.onnx', body: modelBytes(500_000) }]);
    const sink = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('AccessDenied'), { name: 'AccessDenied' }));
      },
    });
    sink.on('error', () => undefined);
    await expect(scanModelArchive(Readable.from([archive]), sink, WHERE, LIMITS)).rejects.toThrow('AccessDenied');
  });
});

describe('safeEntryPath', () => {
  it.each([
    ['model.onnx', 'model.onnx'],
    ['./a//b/./model.onnx', 'a/b/model.onnx'],
    ['a/../model.onnx', undefined],
    ['..', undefined],
    ['/model.onnx', undefined],
    ['C:\\model.onnx', undefined],
    ['a..b/model.onnx', 'a..b/model.onnx'],
  ])('%s → %s', (name, path) => {
    expect(safeEntryPath(name)).toBe(path);
  });
});
