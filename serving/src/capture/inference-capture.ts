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

/** Records of one model version waiting to be written. */
interface PendingFile {
  readonly model: string;
  readonly version: string;
  readonly records: CapturedRecord[];
  bytes: number;
  readonly openedAt: number;
}

interface CapturedRecord {
  readonly capturedAt: number;
  readonly requestId: string;
  /** The request and response bodies as received and sent: JSON documents, spliced in unparsed. */
  readonly request: string;
  readonly response: string;
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
        file = { model, version, records: [], bytes: 0, openedAt: this.now() };
        this.pending.set(key, file);
      }
      file.records.push({ capturedAt: this.now(), requestId, request, response });
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
      const lines = file.records.map((record) => captureLine(file, record)).join('');
      await this.options.writer.write(key, await gzipAsync(lines));
      this.options.metrics.captured.inc({ model: file.model }, file.records.length);
      this.options.metrics.written.inc({ model: file.model });
    } catch (error) {
      this.drop(file.model, 'upload_failed', file.records.length, error as Error);
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
function captureLine(file: PendingFile, record: CapturedRecord): string {
  const head = JSON.stringify({ capturedAt: new Date(record.capturedAt).toISOString(), model: file.model, version: file.version, requestId: record.requestId });
  return `${head.slice(0, -1)},"request":${oneLine(record.request)},"response":${oneLine(record.response)}}\n`;
}

function oneLine(json: string): string {
  return /[\r\n]/.test(json) ? json.replace(/[\r\n]/g, ' ') : json;
}
