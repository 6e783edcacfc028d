import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { CaptureMetrics } from '../../../../serving/src/capture/capture-metrics';
import { loadCaptureSettings } from '../../../../serving/src/capture/capture-settings';
import type { CaptureWriter } from '../../../../serving/src/capture/capture-writer';
import { InferenceCapture, jsonStringLiteral } from '../../../../serving/src/capture/inference-capture';
import { SettingsError } from '../../../../serving/src/errors';
import { memoryLogger } from '../../../integration/serving/support/test-server';

class MemoryWriter implements CaptureWriter {
  readonly location = 'memory://';
  readonly files = new Map<string, string>();
  failWith?: Error;
  delayMs = 0;
  async write(key: string, body: Uint8Array): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith) throw this.failWith;
    this.files.set(key, gunzipSync(body).toString('utf8'));
  }
  records(): Record<string, unknown>[] {
    return [...this.files.values()].flatMap((text) =>
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    );
  }
}

const REQUEST = '{"inputs":[{"name":"input","shape":[1,2],\n"datatype":"FP32","data":[1,2]}]}';
const RESPONSE = '{"model_name":"m","outputs":[]}';

function setup(env: Record<string, string>, options: { mode?: 'background' | 'on-demand'; random?: () => number; now?: () => number } = {}) {
  const registry = new Registry();
  const metrics = new CaptureMetrics(registry);
  const writer = new MemoryWriter();
  const logger = memoryLogger();
  const capture = new InferenceCapture({
    settings: loadCaptureSettings({ CAPTURE_DESTINATION: 'memory', ...env }),
    writer,
    metrics,
    logger,
    mode: options.mode ?? 'on-demand',
    random: options.random,
    now: options.now,
  });
  const counter = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
  return { capture, writer, logger, counter };
}

describe('InferenceCapture', () => {
  it('writes sampled records as gzip JSON Lines under inference-capture/<model>/<version>/dt=<date>/', async () => {
    const { capture, writer, counter } = setup({ CAPTURE_SAMPLE_FRACTION: '1' }, { now: () => Date.parse('2026-11-29T23:59:59.500Z') });
    capture.offer('churn', '3', 'r1', REQUEST, RESPONSE);
    capture.offer('churn', '3', 'r2', REQUEST, RESPONSE);
    capture.offer('churn', '4', 'r3', REQUEST, RESPONSE);
    await capture.flush();
    expect([...writer.files.keys()].sort()).toEqual([
      expect.stringMatching(/^inference-capture\/churn\/3\/dt=2026-11-29\/20261129T235959500Z-[0-9a-f]{8}-00000\d\.jsonl\.gz$/),
      expect.stringMatching(/^inference-capture\/churn\/4\/dt=2026-11-29\/.*\.jsonl\.gz$/),
    ]);
    // Files are written concurrently: find the record by id, not by write order.
    expect(writer.records().find((record) => record.requestId === 'r1')).toEqual({
      capturedAt: '2026-11-29T23:59:59.500Z',
      model: 'churn',
      version: '3',
      requestId: 'r1',
      request: JSON.parse(REQUEST),
      response: JSON.parse(RESPONSE),
    });
    expect(await counter('serving_capture_records_total')).toEqual([{ labels: { model: 'churn' }, value: 3 }]);
    expect(await counter('serving_capture_files_written_total')).toEqual([{ labels: { model: 'churn' }, value: 2 }]);
  });

  it('records any JSON body, received as bytes or rendered as text, as one line that parses back to the same value', async () => {
    // Line breaks as JSON whitespace (raw, CRLF), multi-byte text in ids and strings, and enough records to grow the buffer.
    const jsonText = fc.jsonValue().map((value) => JSON.stringify(value, null, '\r '));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.string({ unit: 'grapheme' }), request: jsonText, asBytes: fc.boolean(), response: jsonText }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (records) => {
          const { capture, writer } = setup({ CAPTURE_SAMPLE_FRACTION: '1' });
          for (const r of records) capture.offer('m', '1', r.id, r.asBytes ? Buffer.from(r.request, 'utf8') : r.request, r.response);
          await capture.flush();
          expect(writer.records()).toEqual(
            records.map((r) =>
              expect.objectContaining({ requestId: r.id, request: JSON.parse(r.request) as unknown, response: JSON.parse(r.response) as unknown }),
            ),
          );
        },
      ),
    );
  });

  it('writes a request id as JSON.stringify does, whatever its characters (the unescaped fast path included)', () => {
    const awkward = fc.string({ unit: fc.constantFrom('"', '\\', '/', '\n', '\u007f', '\u2028', '\ud800', 'a', ' ', '€') });
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), fc.string({ unit: 'binary' }), awkward), (id) => {
        expect(jsonStringLiteral(id)).toBe(JSON.stringify(id));
      }),
      { numRuns: 2000 },
    );
  });

  it('grows its buffer for records past it, counting multi-byte text by its UTF-8 size', async () => {
    const { capture, writer } = setup({ CAPTURE_SAMPLE_FRACTION: '1' });
    const wide = JSON.stringify({ id: '€'.repeat(30_000), inputs: [] }); // 90 KB of UTF-8 in 30 K characters
    for (let i = 0; i < 3; i++) capture.offer('m', '1', `€${i}`, i === 1 ? Buffer.from(wide, 'utf8') : wide, wide);
    await capture.flush();
    expect(writer.records().map((record) => [record.requestId, record.request, record.response])).toEqual(
      [0, 1, 2].map((i) => [`€${i}`, JSON.parse(wide), JSON.parse(wide)]),
    );
  });

  it('samples the configured fraction per model; 0 is off', async () => {
    let draws = 0;
    const random = () => (draws++ % 10) / 10; // 0.0, 0.1, …, 0.9, 0.0, …
    const { capture, writer } = setup({ CAPTURE_SAMPLE_FRACTION: 'a=0.3,b=0' }, { random });
    for (let i = 0; i < 100; i++) {
      capture.offer('a', '1', `a${i}`, REQUEST, RESPONSE);
      capture.offer('b', '1', `b${i}`, REQUEST, RESPONSE);
      capture.offer('c', '1', `c${i}`, REQUEST, RESPONSE); // not listed: off
    }
    await capture.flush();
    expect(writer.records().map((r) => r.model)).toEqual(Array(30).fill('a'));
  });

  it('drops, counts and logs once per interval when the buffer is full, without throwing', async () => {
    const { capture, writer, logger, counter } = setup({ CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_MAX_BUFFER_BYTES: '2048', CAPTURE_FLUSH_BYTES: '1024' });
    for (let i = 0; i < 50; i++) capture.offer('m', '1', `r${i}`, REQUEST, RESPONSE);
    const held = writer.records().length;
    expect(held).toBe(0);
    await capture.flush();
    const written = writer.records().length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(50);
    expect(await counter('serving_capture_dropped_total')).toEqual([{ labels: { model: 'm', reason: 'buffer_full' }, value: 50 - written }]);
    // The first drop is logged at once; the rest of the interval's drops are summed into the next line.
    const warnings = () => logger.lines.filter((line) => line.message === 'inference capture dropped records').map((line) => line.extra[0]);
    expect(warnings()).toEqual([expect.objectContaining({ model: 'm', reason: 'buffer_full', dropped: 1 })]);
    await capture.close();
    expect(warnings()).toEqual([
      expect.objectContaining({ dropped: 1 }),
      expect.objectContaining({ model: 'm', reason: 'buffer_full', dropped: 50 - written - 1 }),
    ]);
  });

  it('counts a failed upload as dropped records and keeps going', async () => {
    const { capture, writer, logger, counter } = setup({ CAPTURE_SAMPLE_FRACTION: '1' });
    writer.failWith = new Error('AccessDenied');
    capture.offer('m', '1', 'r1', REQUEST, RESPONSE);
    capture.offer('m', '1', 'r2', REQUEST, RESPONSE);
    await expect(capture.flush()).resolves.toBeUndefined();
    expect(await counter('serving_capture_dropped_total')).toEqual([{ labels: { model: 'm', reason: 'upload_failed' }, value: 2 }]);
    expect(logger.lines.find((line) => line.message === 'inference capture dropped records')?.extra[0]).toMatchObject({ error: 'AccessDenied', dropped: 2 });
    writer.failWith = undefined;
    capture.offer('m', '1', 'r3', REQUEST, RESPONSE);
    await capture.flush();
    expect(writer.records().map((r) => r.requestId)).toEqual(['r3']);
  });

  it('on Lambda, flushIfDue writes only when the interval is up or a buffer is full', async () => {
    let now = 0;
    const { capture, writer } = setup({ CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_FLUSH_INTERVAL_SECONDS: '10' }, { now: () => now });
    capture.offer('m', '1', 'r1', REQUEST, RESPONSE);
    now = 9_999;
    await capture.flushIfDue();
    expect(writer.files.size).toBe(0);
    now = 10_000;
    await capture.flushIfDue();
    expect(writer.files.size).toBe(1);
  });

  it('in the background, a full buffer flushes without waiting for the timer, and close() writes the rest', async () => {
    const { capture, writer } = setup(
      { CAPTURE_SAMPLE_FRACTION: '1', CAPTURE_FLUSH_BYTES: '1024', CAPTURE_FLUSH_INTERVAL_SECONDS: '3600' },
      { mode: 'background' },
    );
    for (let i = 0; i < 5; i++) capture.offer('m', '1', `r${i}`, REQUEST, RESPONSE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writer.records().length).toBe(5);
    capture.offer('m', '1', 'last', REQUEST, RESPONSE);
    await capture.close();
    expect(writer.records().map((r) => r.requestId)).toContain('last');
  });
});

describe('capture settings', () => {
  it.each([
    [{ CAPTURE_SAMPLE_FRACTION: '1.5', CAPTURE_DESTINATION: 'x' }, /CAPTURE_SAMPLE_FRACTION="1.5": a fraction from 0 to 1/],
    [{ CAPTURE_SAMPLE_FRACTION: 'a=x', CAPTURE_DESTINATION: 'x' }, /CAPTURE_SAMPLE_FRACTION="a=x": a fraction from 0 to 1 \('0.05'\) or model=fraction pairs/],
    [{ CAPTURE_SAMPLE_FRACTION: '0.1' }, /CAPTURE_SAMPLE_FRACTION is set but CAPTURE_DESTINATION is not/],
    [{ CAPTURE_FLUSH_INTERVAL_SECONDS: '0' }, /CAPTURE_FLUSH_INTERVAL_SECONDS="0": /],
  ])('%o is refused with the variable, the value and what is allowed', (env, message) => {
    expect(() => loadCaptureSettings(env)).toThrow(SettingsError);
    expect(() => loadCaptureSettings(env)).toThrow(message);
  });

  it('is off with no variables set', () => {
    expect(loadCaptureSettings({})).toMatchObject({ defaultFraction: 0, destination: undefined, flushIntervalMs: 60_000 });
  });
});
