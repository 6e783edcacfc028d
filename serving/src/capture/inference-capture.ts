import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ServingLogger } from '../logger';
import { captureFileName, captureObjectKey } from './capture-key';
import type { CaptureMetrics, DropReason } from './capture-metrics';
import type { CaptureSettings } from './capture-settings';
import type { CaptureWriter } from './capture-writer';

const gzipAsync = promisify(gzip);
/** Per-record overhead in the buffer estimate (timestamps, ids, JSON keys). */
const RECORD_OVERHEAD_BYTES = 160;

/** First size of a file's line buffer; it doubles as records arrive. */
const INITIAL_LINES_BYTES = 64 * 1024;

/**
 * Records of one model version waiting to be written, as JSON Lines already encoded into one growing Buffer: the
 * request and response strings die young instead of being held (and promoted, and traced by the garbage collector)
 * until the flush, which was most of capture's CPU per request at 100% sampling.
 */
interface PendingFile {
  readonly model: string;
  readonly version: string;
  lines: Buffer;
  used: number;
  count: number;
  /** The buffer accounting's estimate of the records held (what maxBufferBytes bounds). */
  bytes: number;
  readonly openedAt: number;
}

/**
 * The hooks the serving core calls: `sample` once per inference request before it runs (so a request that arrived as
 * binary tensor data can be rendered as JSON while its input buffers are still in hand), `record` after a sampled one
 * was answered. Neither throws nor blocks.
 */
export interface CaptureSink {
  sample(model: string): boolean;
  record(model: string, version: string, requestId: string, request: string, response: string): void;
}

export interface InferenceCaptureOptions {
  readonly settings: CaptureSettings;
  readonly writer: CaptureWriter;
  readonly metrics: CaptureMetrics;
  readonly logger: ServingLogger;
  /**
   * `background` (HTTP server): a timer and a size trigger flush off the request path.
   * `on-demand` (Lambda): nothing runs between invocations; the handler calls `flushIfDue()` before returning.
   */
  readonly mode: 'background' | 'on-demand';
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * Samples answered inference requests per model, buffers them per model version and writes them as gzip JSON Lines
 * to `inference-capture/<model>/<version>/dt=<date>/`. It never fails or delays a request: `offer` only decides and
 * appends; compression runs on libuv's thread pool; a full buffer or a failed upload drops records, counts them
 * (`serving_capture_dropped_total`) and logs once per flush interval.
 */
export class InferenceCapture implements CaptureSink {
  private readonly pending = new Map<string, PendingFile>();
  private readonly instance = randomBytes(4).toString('hex');
  private readonly random: () => number;
  private readonly now: () => number;
  private heldBytes = 0;
  private sequence = 0;
  private lastFlushAt: number;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly unreportedDrops = new Map<string, number>();
  private lastDropReportAt = 0;

  constructor(private readonly options: InferenceCaptureOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.lastFlushAt = this.now();
    if (options.mode === 'background') {
      this.timer = setInterval(() => void this.flush(), Math.min(options.settings.flushIntervalMs, 60_000));
      this.timer.unref();
    }
  }

  /** The sampled fraction of a model's requests (0 = off). */
  fractionOf(model: string): number {
    return this.options.settings.fractions.get(model) ?? this.options.settings.defaultFraction;
  }

  sample(model: string): boolean {
    const fraction = this.fractionOf(model);
    return fraction > 0 && (fraction >= 1 || this.random() < fraction);
  }

  /** Samples and records in one call. */
  offer(model: string, version: string, requestId: string, request: string, response: string): void {
    if (this.sample(model)) this.record(model, version, requestId, request, response);
  }

  record(model: string, version: string, requestId: string, request: string, response: string): void {
    try {
      const bytes = request.length + response.length + RECORD_OVERHEAD_BYTES;
      if (this.heldBytes + bytes > this.options.settings.maxBufferBytes) {
        this.drop(model, 'buffer_full', 1);
        return;
      }
      const key = `${model}\u0000${version}`;
      let file = this.pending.get(key);
      if (file === undefined) {
        file = { model, version, lines: Buffer.allocUnsafe(INITIAL_LINES_BYTES), used: 0, count: 0, bytes: 0, openedAt: this.now() };
        this.pending.set(key, file);
      }
      appendLine(file, captureLine(model, version, this.now(), requestId, request, response));
      file.bytes += bytes;
      this.heldBytes += bytes;
      if (this.options.mode === 'background' && file.bytes >= this.options.settings.flushBytes && this.flushing === undefined) {
        setImmediate(() => void this.flush());
      }
    } catch (error) {
      this.options.logger.warn('inference capture failed to buffer a record', { error: error as Error });
    }
  }

  /** Lambda: writes the buffers when the interval is up or a buffer is full; a no-op (microseconds) otherwise. */
  async flushIfDue(): Promise<void> {
    const due = this.now() - this.lastFlushAt >= this.options.settings.flushIntervalMs || [...this.pending.values()].some((f) => f.bytes >= this.options.settings.flushBytes);
    if (due) await this.flush();
  }

  /** Writes every buffered record; concurrent calls share one flush. Never rejects. */
  flush(): Promise<void> {
    if (this.flushing !== undefined) return this.flushing;
    this.lastFlushAt = this.now();
    this.reportDrops();
    if (this.pending.size === 0) return Promise.resolve();
    const files = [...this.pending.values()];
    this.pending.clear();
    this.flushing = Promise.all(files.map((file) => this.writeFile(file))).then(() => {
      this.flushing = undefined;
      // Records that filled a buffer while this flush ran wait for no timer.
      if (this.options.mode === 'background' && [...this.pending.values()].some((f) => f.bytes >= this.options.settings.flushBytes)) {
        setImmediate(() => void this.flush());
      }
    });
    return this.flushing;
  }

  /** Stops the timer and writes what is buffered (SIGTERM drain). */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.flush();
    await this.flush();
    this.reportDrops(true);
  }

  private async writeFile(file: PendingFile): Promise<void> {
    const openedAt = new Date(file.openedAt);
    const key = captureObjectKey(file.model, file.version, openedAt.toISOString().slice(0, 10), captureFileName(openedAt, this.instance, ++this.sequence));
    try {
      await this.options.writer.write(key, await gzipAsync(file.lines.subarray(0, file.used)));
      this.options.metrics.captured.inc({ model: file.model }, file.count);
      this.options.metrics.written.inc({ model: file.model });
    } catch (error) {
      this.drop(file.model, 'upload_failed', file.count, error as Error);
    } finally {
      this.heldBytes -= file.bytes;
    }
  }

  private drop(model: string, reason: DropReason, count: number, error?: Error): void {
    this.options.metrics.dropped.inc({ model, reason }, count);
    const key = `${model}\u0000${reason}\u0000${error?.message ?? ''}`;
    this.unreportedDrops.set(key, (this.unreportedDrops.get(key) ?? 0) + count);
    this.reportDrops();
  }

  /** One log line per (model, reason) per flush interval, with the count since the last one. */
  private reportDrops(force = false): void {
    if (this.unreportedDrops.size === 0) return;
    if (!force && this.now() - this.lastDropReportAt < this.options.settings.flushIntervalMs) return;
    this.lastDropReportAt = this.now();
    for (const [key, dropped] of this.unreportedDrops) {
      const [model, reason, message] = key.split('\u0000');
      this.options.logger.warn('inference capture dropped records', { model, reason, dropped, error: message || undefined, destination: this.options.writer.location });
    }
    this.unreportedDrops.clear();
  }
}

/** One JSON Lines record; the bodies are JSON already, so they are spliced in (line breaks in JSON whitespace become spaces). */
function captureLine(model: string, version: string, capturedAt: number, requestId: string, request: string, response: string): string {
  const head = `{"capturedAt":"${new Date(capturedAt).toISOString()}","model":${JSON.stringify(model)},"version":${JSON.stringify(version)},"requestId":${JSON.stringify(requestId)}`;
  return `${head},"request":${oneLine(request)},"response":${oneLine(response)}}\n`;
}

function appendLine(file: PendingFile, line: string): void {
  const needed = file.used + Buffer.byteLength(line, 'utf8');
  if (needed > file.lines.length) {
    const grown = Buffer.allocUnsafe(Math.max(needed, file.lines.length * 2));
    file.lines.copy(grown, 0, 0, file.used);
    file.lines = grown;
  }
  file.used += file.lines.write(line, file.used, 'utf8');
  file.count += 1;
}

function oneLine(json: string): string {
  return /[\r\n]/.test(json) ? json.replace(/[\r\n]/g, ' ') : json;
}
