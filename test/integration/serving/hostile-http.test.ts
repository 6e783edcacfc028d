/**
 * @jest-environment ./test/support/onnx-test-environment.js
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inferBody, send } from './support/http-client';
import { startServer, TempRepository, type RunningServer } from './support/test-server';

// Each case reproduces a failure seen when the server was attacked (issue 10) and states what must happen instead.

const LIMIT = 1024 * 1024;
const repo = new TempRepository({ 'scale/1/model.onnx': 'scale-v1.onnx' });
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(repo.root, { MAX_BODY_BYTES: String(LIMIT) });
});
afterAll(async () => {
  await server.stop();
  repo.remove();
});

const inferUrl = () => `${server.url}/v2/models/scale/infer`;

/** Sends raw bytes on one connection and collects everything the server writes until it closes. */
function rawExchange(port: number, payload: Buffer | string, options: { pieceBytes?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    socket.on('error', reject);
    const bytes = Buffer.from(payload);
    const piece = options.pieceBytes;
    if (piece === undefined) socket.write(bytes);
    else {
      let at = 0;
      const next = (): void => {
        if (at >= bytes.length || socket.destroyed) return;
        socket.write(bytes.subarray(at, (at += piece)), () => setImmediate(next));
      };
      next();
    }
  });
}

const port = () => Number(new URL(server.url).port);

describe('over-limit bodies get a 413 the client can read', () => {
  it.each([
    ['buffered', () => Buffer.alloc(LIMIT + 10_000, 0x20)],
    [
      'streamed',
      () =>
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(LIMIT / 2));
            controller.close();
          },
        }),
    ],
  ])('Node fetch, %s: 413, not EPIPE', async (_, body) => {
    const res = await fetch(inferUrl(), { method: 'POST', body: body() as never, duplex: 'half' });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: `request body exceeds the limit of ${LIMIT} bytes` });
  });

  it('curl (Expect: 100-continue): 413 before the body is sent', async () => {
    const file = join(repo.root, 'big-body.json');
    writeFileSync(file, Buffer.alloc(LIMIT + 10_000, 0x20));
    const { stdout, stderr } = await promisify(execFile)(
      'curl',
      ['-sS', '-o', '-', '-w', '\n%{http_code}', '--data-binary', `@${file}`, '-H', 'content-type: application/json', inferUrl()],
      { encoding: 'utf8' },
    );
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([`{"error":"request body exceeds the limit of ${LIMIT} bytes"}`, '413']);
  });

  it('raw socket writing the whole body after the 413 still reads it, then sees the connection close', async () => {
    const body = Buffer.alloc(LIMIT * 2, 0x20);
    const head = `POST /v2/models/scale/infer HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
    const answer = await rawExchange(port(), Buffer.concat([Buffer.from(head), body]));
    expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(answer).toContain(`{"error":"request body exceeds the limit of ${LIMIT} bytes"}`);
  });
});

describe('hostile JSON costs no more than flat JSON of the same size', () => {
  const deep = (size: number) => `{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":${'['.repeat(size / 2)}${']'.repeat(size / 2)}}]}`;
  const flat = (size: number) => `{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[${'0,'.repeat(size / 2 - 1)}0]}]}`;

  it('answers 400 naming the limit for data nested 10,000 deep (was 500: Array.flat stack overflow)', async () => {
    const res = await send(inferUrl(), { body: deep(20_000) });
    expect([res.status, res.json().error]).toEqual([400, 'request JSON is nested deeper than 32 levels (MAX_JSON_DEPTH)']);
  });

  it('four concurrent deeply nested bodies at the size limit cost about what flat ones do and never block liveness', async () => {
    const size = LIMIT - 200;
    const timeFour = async (body: string) => {
      const started = performance.now();
      const liveness: number[] = [];
      let done = false;
      const probe = (async () => {
        while (!done) {
          const t = performance.now();
          await send(`${server.url}/v2/health/live`);
          liveness.push(performance.now() - t);
        }
      })();
      const statuses = await Promise.all([0, 1, 2, 3].map(() => send(inferUrl(), { body }).then((r) => r.status)));
      const elapsed = performance.now() - started;
      done = true;
      await probe;
      return { statuses, elapsed, worstLiveness: Math.max(...liveness) };
    };
    const flatRun = await timeFour(flat(size));
    const deepRun = await timeFour(deep(size));
    console.log(
      `4 × ${size} B bodies: flat ${flatRun.elapsed.toFixed(0)} ms (worst liveness ${flatRun.worstLiveness.toFixed(0)} ms), deep ${deepRun.elapsed.toFixed(0)} ms (worst liveness ${deepRun.worstLiveness.toFixed(0)} ms)`,
    );
    expect(flatRun.statuses).toEqual([400, 400, 400, 400]); // element count does not match the shape
    expect(deepRun.statuses).toEqual([400, 400, 400, 400]);
    expect(deepRun.elapsed).toBeLessThan(2 * flatRun.elapsed + 250);
    expect(deepRun.worstLiveness).toBeLessThan(1000);
  });

  it('answers 413 for more JSON values than MAX_JSON_VALUES', async () => {
    const small = await startServer(repo.root, { MAX_JSON_VALUES: '1000' });
    try {
      const res = await send(`${small.url}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], new Array(2000).fill(0)) });
      expect([res.status, res.json().error]).toEqual([413, 'request JSON holds more than 1000 values (MAX_JSON_VALUES)']);
    } finally {
      await small.stop();
    }
  });
});

describe('connection-level errors', () => {
  it('answers five pipelined requests before the 400 for the malformed sixth, then closes', async () => {
    const body = inferBody('x', [1, 4], [1, 2, 3, 4]);
    const valid = `POST /v2/models/scale/infer HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    const answer = await rawExchange(port(), `${valid.repeat(5)}GET / HTTP/1.1\r\nbad header line\r\n\r\n`);
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200', '200', '200', '200', '400']);
    expect(answer).toMatch(/\{"error":"malformed HTTP request: [^"]+"\}$/);
  });

  it('a client that disconnects mid-body is logged at debug level and counted, not logged as an error', async () => {
    const before = await server.app.metrics.clientDisconnects.get();
    const count = (m: typeof before) => m.values.find((v) => v.labels.phase === 'body')?.value ?? 0;
    await new Promise<void>((resolve) => {
      const socket = connect(port(), '127.0.0.1', () => {
        socket.write('POST /v2/models/scale/infer HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"inputs":', () => setTimeout(() => socket.destroy(), 50));
      });
      socket.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(count(await server.app.metrics.clientDisconnects.get())).toBe(count(before) + 1);
    expect(server.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(server.logger.lines.some((l) => l.level === 'debug' && /client went away/.test(l.message))).toBe(true);
  });
});
