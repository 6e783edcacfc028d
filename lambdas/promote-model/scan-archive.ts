import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type Entry } from 'tar-stream';
import { configJsonProblem } from './package-config';
import type { ArchiveLimits } from '../../lib/config/promotion';
import { ArchiveLimitError, TarGuard } from './tar-guard';

/** Largest config.json read from an archive; the file is a handful of serving settings. */
export const ARCHIVE_CONFIG_MAX_BYTES = 1024 * 1024;
/** config.json files met before the .onnx are held until its directory is known; this bounds them all. */
const ARCHIVE_CONFIGS_MAX_BYTES = 16 * ARCHIVE_CONFIG_MAX_BYTES;

export type ArchiveScan =
  | { readonly ok: true; readonly modelPath: string; readonly config?: string; readonly configPath?: string; readonly skippedEntries: number }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** The entry path without `./` or empty segments, or undefined when it is absolute or has a `..` segment. */
export function safeEntryPath(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return undefined;
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.includes('..') ? undefined : segments.join('/');
}

const directoryOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);
const isRegularFile = (entry: Entry): boolean => entry.header.type === 'file' || entry.header.type === 'contiguous-file';

/** Raised by writes to the model sink (the repository upload): not a property of the archive, so never a rejection. */
class SinkFailure extends Error {
  constructor(readonly sinkError: Error) {
    super('model sink failed', { cause: sinkError });
  }
}

async function drain(entry: Entry): Promise<void> {
  for await (const _chunk of entry);
}

async function readText(entry: Entry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function waitForDrain(sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      sink.off('drain', onDrain).off('error', onError).off('close', onClose);
      if (error === undefined) resolve();
      else reject(new SinkFailure(error instanceof Error ? error : new Error('the model sink failed', { cause: error })));
    };
    const onDrain = () => done();
    const onError = (error: unknown) => done(error);
    const onClose = () => done(sink.errored ?? new Error('the model sink closed before the model was written'));
    sink.on('drain', onDrain).on('error', onError).on('close', onClose);
  });
}

/** Streams the entry into the sink with backpressure, leaving the sink open: only a complete, valid archive ends it. */
async function copyInto(entry: Entry, sink: Writable): Promise<void> {
  for await (const chunk of entry) {
    if (sink.destroyed) throw new SinkFailure(sink.errored ?? new Error('the model sink was destroyed'));
    if (!sink.write(chunk)) await waitForDrain(sink);
  }
}

/** What one pass over the entries found; decides the outcome once the archive has ended. */
class ArchiveContents {
  readonly reasons: string[] = [];
  private entries = 0;
  private readonly onnxPaths: string[] = [];
  private modelPath?: string;
  private readonly configs = new Map<string, { readonly path: string; readonly text?: string; readonly problem?: string }>();
  private configBytes = 0;

  constructor(
    private readonly where: string,
    private readonly maxModelBytes: number,
  ) {}

  async take(entry: Entry, modelSink: Writable): Promise<void> {
    this.entries += 1;
    const { name, type, size = 0 } = entry.header;
    const path = safeEntryPath(name);
    if (path === undefined) {
      this.reasons.push(`${this.where}: entry ${JSON.stringify(name)} has an absolute or '..' path`);
      return drain(entry);
    }
    if (type === 'directory') return drain(entry);
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    if (/\.onnx$/i.test(fileName)) {
      this.onnxPaths.push(path);
      if (!isRegularFile(entry)) {
        this.reasons.push(`${this.where}: ${path} is a ${type} entry; the model must be a regular file`);
      } else if (size > this.maxModelBytes) {
        throw new ArchiveLimitError(`${path} is ${size} bytes uncompressed, over ${this.maxModelBytes} bytes (maxModelBytes)`);
      } else if (this.modelPath === undefined) {
        this.modelPath = path;
        return copyInto(entry, modelSink);
      }
      return drain(entry);
    }
    if (fileName === 'config.json') return this.takeConfig(entry, path, size);
    return drain(entry);
  }

  private async takeConfig(entry: Entry, path: string, size: number): Promise<void> {
    const directory = directoryOf(path);
    if (this.modelPath !== undefined && directoryOf(this.modelPath) !== directory) return drain(entry);
    if (this.configs.has(directory)) {
      this.configs.set(directory, { path, problem: `${this.where}: ${path} appears more than once` });
    } else if (!isRegularFile(entry)) {
      this.configs.set(directory, { path, problem: `${this.where}: ${path} is a ${entry.header.type} entry; config.json must be a regular file` });
    } else if (size > ARCHIVE_CONFIG_MAX_BYTES) {
      this.configs.set(directory, { path, problem: `${this.where}: ${path} is ${size} bytes; at most ${ARCHIVE_CONFIG_MAX_BYTES} are read` });
    } else if (this.configBytes + size > ARCHIVE_CONFIGS_MAX_BYTES) {
      this.reasons.push(`${this.where} holds more than ${ARCHIVE_CONFIGS_MAX_BYTES} bytes of config.json files before its .onnx`);
    } else {
      this.configBytes += size;
      this.configs.set(directory, { path, text: await readText(entry) });
      return;
    }
    return drain(entry);
  }

  result(): ArchiveScan {
    const reasons = [...this.reasons];
    if (this.onnxPaths.length === 0) reasons.push(`${this.where} holds no .onnx file; it must hold exactly one`);
    if (this.onnxPaths.length > 1) reasons.push(`${this.where} holds more than one .onnx file (${this.onnxPaths.join(', ')}); it must hold exactly one`);
    const config = this.modelPath === undefined ? undefined : this.configs.get(directoryOf(this.modelPath));
    const configProblem = config?.problem ?? (config?.text === undefined ? undefined : configJsonProblem(config.text, `${config.path} in ${this.where}`));
    if (configProblem) reasons.push(configProblem);
    if (reasons.length > 0 || this.modelPath === undefined) return { ok: false, reasons };
    const used = config === undefined ? 1 : 2;
    return { ok: true, modelPath: this.modelPath, config: config?.text, configPath: config?.path, skippedEntries: this.entries - used };
  }
}

/**
 * Reads a gzipped tar (SageMaker's model.tar.gz) in one streaming pass: the one regular `*.onnx` file (at any depth)
 * is written to `modelSink` as it is read, and an optional `config.json` in the same directory is returned. The sink
 * is never ended here: the caller ends it only for an `ok` scan (and destroys it otherwise), so nothing half-read is
 * ever published. Archive defects (not gzip, not tar, unsafe paths, zero or several models, links, any of `limits`
 * passed — checked while streaming, see TarGuard) become reasons; failures reading `archive` or writing `modelSink`
 * are thrown as they are.
 */
export async function scanModelArchive(archive: Readable, modelSink: Writable, where: string, limits: ArchiveLimits): Promise<ArchiveScan> {
  const gunzip = createGunzip();
  const guard = new TarGuard(limits);
  const entries = extract();
  let limitProblem: string | undefined;
  let readFailure: Error | undefined;
  let gzipProblem: string | undefined;
  archive.on('error', (error) => {
    readFailure ??= error;
    entries.destroy(error);
  });
  gunzip.on('error', (error) => {
    gzipProblem ??= `${where} is not a gzip-compressed tar: ${error.message}`;
    entries.destroy(error);
  });
  guard.on('error', (error) => {
    limitProblem ??= `${where}: ${error.message}`;
    entries.destroy(error);
  });
  archive.pipe(gunzip).pipe(guard).pipe(entries);

  const contents = new ArchiveContents(where, limits.maxModelBytes);
  try {
    for await (const entry of entries) await contents.take(entry, modelSink);
  } catch (error) {
    if (error instanceof SinkFailure) throw error.sinkError;
    if (readFailure !== undefined) throw readFailure;
    if (error instanceof ArchiveLimitError) limitProblem ??= `${where}: ${error.message}`;
    if (limitProblem !== undefined) return { ok: false, reasons: [...contents.reasons, limitProblem] };
    return { ok: false, reasons: [...contents.reasons, gzipProblem ?? `${where} is not a valid tar archive: ${(error as Error).message}`] };
  } finally {
    archive.unpipe();
    archive.destroy();
    gunzip.destroy();
    guard.destroy();
  }
  return contents.result();
}
