import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { ServingLogger } from '../logger';
import { captureFileName, captureObjectKey } from './capture-key';
import type { CaptureMetrics, DropReason } from './capture-metrics';
import type { CaptureSettings } from './capture-settings';
import type { CaptureWriter } from './capture-writer';

const gzipAsync = promisify(gzip);
/**
 * Deflate's fastest level: on capture lines it costs about a third of the default level's CPU per record (3.7 against
 * 12.8 us for a digits record) for a ratio of 4.4 instead of 5.1. At 100% sampling the compression is most of capture's
 * cost to the server, and the files are read once by the drift detector.
 */
const GZIP_LEVEL = constants.Z_BEST_SPEED;
/** zlib hands each output chunk back to JavaScript; a file's output in few large chunks instead of 16 KiB ones. */
const GZIP_CHUNK_BYTES = 1024 * 1024;
/** Per-record overhead in the buffer estimate (timestamps, ids, JSON keys). */
const RECORD_OVERHEAD_BYTES = 160;

/**
 * First size of a file's line buffer: room for a whole file up to the flush size, so that a busy model's buffer is not
 * copied as it grows (it doubles past that). Untouched pages of an allocation this size are not resident.
 */
/** Written files' buffers kept for reuse; beyond these (many model versions at once) they are left to the collector. */
const MAX_SPARE_LINE_BUFFERS = 2;
const initialLinesBytes = (flushBytes: number) => Math.min(flushBytes, 8 * 1024 * 1024) + 64 * 1024;

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
  /** The JSON between a record's timestamp and its request id, the same for every record of the file. */
  readonly modelVersionFields: string;
}

/**
 * The hooks the serving core calls: `sample` once per inference request before it runs (so a request that arrived as
 * binary tensor data can be rendered as JSON while its input buffers are still in hand), `record` after a sampled one
 * was answered. Neither throws nor blocks.
 */
export interface CaptureSink {
  sample(model: string): boolean;
  /** `request` is the request's JSON, as received (bytes) or rendered; `response` the answer's JSON. */
  record(model: string, version: string, requestId: string, request: string | Uint8Array, response: string): void;
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
  /**
   * Line buffers of written files, reused for the next ones: a new multi-megabyte Buffer per file is external memory
   * that pushes V8 into extra major garbage collections (a third of capture's CPU at 100% sampling before reuse).
   */
  private readonly spareLines: Buffer[] = [];
  private sequence = 0;
  private lastFlushAt: number;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly unreportedDrops = new Map<string, number>();
  private lastDropReportAt = 0;
  private lastTimestampAt = Number.NaN;
  private lastTimestamp = '';

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
  offer(model: string, version: string, requestId: string, request: string | Uint8Array, response: string): void {
    if (this.sample(model)) this.record(model, version, requestId, request, response);
  }

  record(model: string, version: string, requestId: string, request: string | Uint8Array, response: string): void {
    try {
      const bytes = request.length + response.length + RECORD_OVERHEAD_BYTES;
      if (this.heldBytes + bytes > this.options.settings.maxBufferBytes) {
        this.drop(model, 'buffer_full', 1);
        return;
      }
      const key = `${model}\u0000${version}`;
      let file = this.pending.get(key);
      if (file === undefined) {
        const lines = this.spareLines.pop() ?? Buffer.allocUnsafe(initialLinesBytes(this.options.settings.flushBytes));
        const modelVersionFields = `","model":${JSON.stringify(model)},"version":${JSON.stringify(version)},"requestId":`;
        file = { model, version, lines, used: 0, count: 0, bytes: 0, openedAt: this.now(), modelVersionFields };
        this.pending.set(key, file);
      }
      this.appendRecord(file, requestId, request, response);
      file.bytes += bytes;
      this.heldBytes += bytes;
      if (this.options.mode === 'background' && file.bytes >= this.options.settings.flushBytes && this.flushing === undefined) {
        setImmediate(() => void this.flush());
      }
    } catch (error) {
      this.options.logger.warn('inference capture failed to buffer a record', { error: error as Error });
    }
  }

  /** One JSON Lines record, written straight into the file's buffer. */
  private appendRecord(file: PendingFile, requestId: string, request: string | Uint8Array, response: string): void {
    const head = `{"capturedAt":"${this.timestamp()}${file.modelVersionFields}${jsonStringLiteral(requestId)},"request":`;
    const requestBytes = typeof request === 'string' ? Buffer.byteLength(request, 'utf8') : request.length;
    reserve(file, head.length * 3 + requestBytes + response.length * 3 + RECORD_FRAME_BYTES);
    file.used += file.lines.write(head, file.used, 'utf8');
    writeJson(file, request);
    file.used += file.lines.write(',"response":', file.used, 'latin1');
    writeJson(file, response);
    file.used += file.lines.write('}\n', file.used, 'latin1');
    file.count += 1;
  }

  /** The capture time as ISO 8601, formatted once per millisecond. */
  private timestamp(): string {
    const now = this.now();
    if (now !== this.lastTimestampAt) {
      this.lastTimestampAt = now;
      this.lastTimestamp = new Date(now).toISOString();
    }
    return this.lastTimestamp;
  }

  /** Lambda: writes the buffers when the interval is up or a buffer is full; a no-op (microseconds) otherwise. */
  async flushIfDue(): Promise<void> {
    const due =
      this.now() - this.lastFlushAt >= this.options.settings.flushIntervalMs ||
      [...this.pending.values()].some((f) => f.bytes >= this.options.settings.flushBytes);
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
      await this.options.writer.write(
        key,
        await gzipAsync(file.lines.subarray(0, file.used), { level: GZIP_LEVEL, chunkSize: Math.max(GZIP_CHUNK_BYTES, file.used >> 2) }),
      );
      this.options.metrics.captured.inc({ model: file.model }, file.count);
      this.options.metrics.written.inc({ model: file.model });
    } catch (error) {
      this.drop(file.model, 'upload_failed', file.count, error as Error);
    } finally {
      this.heldBytes -= file.bytes;
      if (this.spareLines.length < MAX_SPARE_LINE_BUFFERS) this.spareLines.push(file.lines);
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
      this.options.logger.warn('inference capture dropped records', {
        model,
        reason,
        dropped,
        error: message || undefined,
        destination: this.options.writer.location,
      });
    }
    this.unreportedDrops.clear();
  }
}

/** The most a record's text can take in UTF-8 beyond its parts' lengths (keys, punctuation, the timestamp). */
const RECORD_FRAME_BYTES = 128;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;

/** Printable ASCII without `"` or `\\`: a string JSON writes as it is, between quotes. */
const NEEDS_NO_ESCAPING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A string as a JSON literal. Request ids are generated UUIDs or short client ids that need no escaping; quoting them
 * directly skips JSON.stringify's per-call set-up, which was a third of a record's cost.
 */
export function jsonStringLiteral(value: string): string {
  return NEEDS_NO_ESCAPING.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** Makes room for `bytes` more in the file's line buffer (doubling), keeping what is written. */
function reserve(file: PendingFile, bytes: number): void {
  const needed = file.used + bytes;
  if (needed <= file.lines.length) return;
  const grown = Buffer.allocUnsafe(Math.max(needed, file.lines.length * 2));
  file.lines.copy(grown, 0, 0, file.used);
  file.lines = grown;
}

/**
 * The bodies are JSON already, so they are copied in as they are (a received body byte for byte, no string built);
 * a raw line break can only be JSON whitespace, and becomes a space so that the record stays on one line.
 */
function writeJson(file: PendingFile, json: string | Uint8Array): void {
  const start = file.used;
  if (typeof json === 'string') file.used += file.lines.write(json, start, 'utf8');
  else {
    file.lines.set(json, start);
    file.used += json.length;
  }
  const written = file.lines.subarray(start, file.used);
  for (const byte of [LINE_FEED, CARRIAGE_RETURN]) {
    for (let at = written.indexOf(byte); at >= 0; at = written.indexOf(byte, at + 1)) written[at] = SPACE;
  }
}
