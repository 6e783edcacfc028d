import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { archiveLimitsOf, DEFAULT_PROMOTION_CONFIG } from '../../lib/config/promotion';
import { customerEventsContract } from '../../lib/contracts';
import { ingestObject, type IngestSinks } from '../../lambdas/ingest/ingest-object';
import { scanModelArchive } from '../../lambdas/promote-model/scan-archive';
import { headerBlock } from '../../test/unit/lambdas/promote-model/archive-fixtures';
import { loginEventJson, loginEventRow } from '../../test/unit/lambdas/ingest/fixtures/customer-events';

/**
 * Peak memory of the hostile inputs issue 10 names, each in a fresh process so one case's garbage cannot hide
 * another's: `npm run bench:hostile` prints, per case, what was sent, what happened, and the peak RSS above the
 * process's baseline (ingest and promotion run in the measuring process; the serving cases measure the real server
 * process, started with `npm run serve`, from /proc/<pid>/status VmHWM). Inputs are generated as streams, so the
 * generator costs no memory of its own.
 */

const MIB = 1024 * 1024;
const GOOD_ROW = (i: number) => `${loginEventRow(i, i % 600)}\n`;
const HEADER = `${customerEventsContract.fields.map((f) => f.name).join(',')}\n`;

interface CaseResult {
  readonly input: string;
  readonly outcome: string;
  /** Peak RSS minus RSS when the case started, MiB. */
  readonly growthMib: number;
  readonly peakMib: number;
}

/** Streams `parts`, each a string or a generator of chunks, without holding more than one chunk. */
function streamOf(parts: Iterable<string | Buffer>): Readable {
  return Readable.from(parts, { objectMode: false });
}

/** Sinks that count and drop what ingest stores, so only the ingest pipeline's own memory is measured. */
function countingSinks(): { sinks: IngestSinks; bytes: { parquet: number; quarantine: number } } {
  const bytes = { parquet: 0, quarantine: 0 };
  const drain = (key: keyof typeof bytes) => async (body: Readable) => {
    for await (const chunk of body) bytes[key] += (chunk as Buffer).length;
  };
  return { sinks: { storeParquet: drain('parquet'), storeQuarantine: drain('quarantine') }, bytes };
}

function maxRssMib(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function measureInProcess(input: string, run: () => Promise<string>): Promise<CaseResult> {
  const baseline = process.memoryUsage().rss / MIB;
  const outcome = await run();
  const peakMib = maxRssMib();
  return { input, outcome, growthMib: peakMib - baseline, peakMib };
}

async function ingestCase(input: string, format: 'csv' | 'jsonl', source: () => Iterable<string | Buffer>): Promise<CaseResult> {
  return measureInProcess(input, async () => {
    const { sinks } = countingSinks();
    const counts = await ingestObject({ input: streamOf(source()), format, contract: customerEventsContract, sinks });
    return `rows in ${counts.rowsIn} = ${counts.rowsValid} in silver + ${counts.rowsQuarantined} quarantined`;
  });
}

function* rows(from: number, to: number): Generator<string> {
  let batch = '';
  for (let i = from; i < to; i++) {
    batch += GOOD_ROW(i);
    if (batch.length > 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

function* repeat(text: string, bytes: number): Generator<string> {
  const chunk = text.repeat(Math.ceil((64 * 1024) / text.length));
  for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk;
}

/** A gzip'd tar whose entries are streamed (a 1 GiB entry is never in memory). */
function tarGzStream(entries: { name: string; size: number; fill: number }[]): Readable {
  const tar = pack();
  const gzip = createGzip({ level: 1 });
  // The scanner stops reading at the limit it finds: the generator's streams then close early, which is expected.
  const ignore = () => undefined;
  tar.on('error', ignore);
  void (async () => {
    for (const entry of entries) {
      if (tar.destroyed) return;
      const sink = tar.entry({ name: entry.name, size: entry.size });
      sink.on('error', ignore);
      const block = Buffer.alloc(MIB, entry.fill);
      for (let left = entry.size; left > 0; left -= MIB) {
        if (sink.destroyed) return;
        if (!sink.write(left >= MIB ? block : block.subarray(0, left))) {
          await new Promise<void>((resolve) => {
            const done = () => {
              sink.off('drain', done);
              sink.off('close', done);
              resolve();
            };
            sink.on('drain', done);
            sink.on('close', done);
          });
        }
      }
      sink.end();
    }
    tar.finalize();
  })();
  return tar.pipe(gzip);
}

async function promotionCase(input: string, archive: () => Readable): Promise<CaseResult> {
  // The limits a model served in 1024 MB gets by default: a 512 MiB model, 1088 MiB expanded.
  const limits = archiveLimitsOf(DEFAULT_PROMOTION_CONFIG, 1024);
  return measureInProcess(input, async () => {
    const sink = new PassThrough();
    sink.resume();
    const result = await scanModelArchive(archive(), sink, 's3://gold/model-artifacts/m/runs/r/output/model.tar.gz', limits);
    return result.ok ? 'PROMOTED' : `rejected: ${result.reasons.join('; ').replace(/^s3:\/\/\S+: /, '')}`;
  });
}

/** The 300 MiB GNU long-name header of issue 10: a header block announcing it, then data. */
function longNameArchive(): Readable {
  const block = headerBlock('././@LongLink', 'L', 300 * MIB);
  const gzip = createGzip({ level: 1 });
  void pipeline(
    streamOf(
      (function* () {
        yield block;
        yield* repeat('a', 300 * MIB);
      })(),
    ),
    gzip,
  ).catch(() => undefined);
  return gzip;
}

// ---- serving: the real server process ----

function vmHwmMib(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

function vmRssMib(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

async function startRealServer(): Promise<{ child: ChildProcess; port: number; stop: () => void }> {
  const repository = mkdtempSync(join(tmpdir(), 'hostile-repo-'));
  mkdirSync(join(repository, 'scale', '1'), { recursive: true });
  copyFileSync(join(__dirname, '..', '..', 'test', 'integration', 'serving', 'fixtures', 'scale-v1.onnx'), join(repository, 'scale', '1', 'model.onnx'));
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, '..', '..', 'serving', 'src', 'main.ts'),
      '--model-repository',
      repository,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'WARN', ORT_INTRA_OP_THREADS: '1' },
    },
  );
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v2/models/scale/ready`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    port,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(repository, { recursive: true, force: true });
    },
  };
}

/** Sends `body` as an infer request on one connection, `piece` bytes per write; resolves with the status line. */
function rawInfer(port: number, body: Buffer, piece: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const head = Buffer.from(
      `POST /v2/models/scale/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    const bytes = Buffer.concat([head, body]);
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1').split('\r\n')[0]));
    socket.on('error', reject);
    let at = 0;
    const next = (): void => {
      if (at >= bytes.length || socket.destroyed) return;
      socket.write(bytes.subarray(at, (at += piece)), () => setImmediate(next));
    };
    next();
  });
}

async function servingCase(input: string, run: (port: number) => Promise<string[]>): Promise<CaseResult> {
  const server = await startRealServer();
  try {
    const baseline = vmRssMib(server.child.pid!);
    const statuses = await run(server.port);
    const peakMib = vmHwmMib(server.child.pid!);
    const counts = new Map<string, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    return {
      input,
      outcome: [...counts].map(([status, n]) => `${n} × ${status.replace(/^HTTP\/1\.1 /, '')}`).join(', '),
      growthMib: peakMib - baseline,
      peakMib,
    };
  } finally {
    server.stop();
  }
}

function nestedBody(bytes: number): Buffer {
  const depth = Math.floor((bytes - 80) / 2);
  return Buffer.from(`{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":${'['.repeat(depth)}${']'.repeat(depth)}}]}`);
}

const CASES: Record<string, () => Promise<CaseResult>> = {
  'ingest: stray quote early in a 300,000-row CSV': () =>
    ingestCase('CSV, 300,000 rows, row 2 opens a quote that never closes', 'csv', function* () {
      yield HEADER;
      yield GOOD_ROW(1);
      yield 'evt-2,C00000001,2026-05-01T08:00:00Z,login,pro,,,1,,false,"US\n';
      yield* rows(3, 300_001);
    }),
  'ingest: a single 100 MB line': () =>
    ingestCase('CSV, one 100 MB line between good rows', 'csv', function* () {
      yield HEADER;
      yield* rows(1, 1_000);
      yield* repeat('x', 100 * MIB);
      yield '\n';
      yield* rows(1_000, 2_000);
    }),
  'ingest: JSON Lines nested 100,000 deep': () =>
    ingestCase('JSON Lines, one record nested 100,000 deep, 1,000 good records', 'jsonl', function* () {
      const good = loginEventJson(1);
      yield `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
      for (let i = 0; i < 1_000; i++) yield `${good}\n`;
    }),
  'promotion: 1 GiB model in a ~1 MB archive': () =>
    promotionCase('tar.gz, model.onnx of 1 GiB zeros', () => tarGzStream([{ name: 'model.onnx', size: 1024 * MIB, fill: 0 }])),
  'promotion: 6 GiB of junk beside a model': () =>
    promotionCase('tar.gz, 1 MiB model.onnx + 6 GiB junk.bin', () =>
      tarGzStream([
        { name: 'model.onnx', size: MIB, fill: 1 },
        { name: 'junk.bin', size: 6 * 1024 * MIB, fill: 0 },
      ]),
    ),
  'promotion: 300 MiB GNU long-name header': () => promotionCase('tar.gz, a 300 MiB ././@LongLink header', longNameArchive),
  'serving: bodies sent one byte at a time (200 connections)': () =>
    servingCase('200 connections × 2,300-byte valid request, one byte per write', (port) => {
      // A valid request for the scale model (x FP32 [-1, 4]): 280 rows, about 2,400 bytes.
      const rows = 280;
      const body = Buffer.from(
        `{"inputs":[{"name":"x","shape":[${rows},4],"datatype":"FP32","data":[${Array.from({ length: rows * 4 }, () => '1').join(',')}]}]}`,
      );
      return Promise.all(Array.from({ length: 200 }, () => rawInfer(port, body, 1)));
    }),
  'serving: 4 concurrent 6 MB bodies nested deeply': () =>
    servingCase('4 × 6 MB body, `data` nested ~3M deep', (port) =>
      Promise.all(Array.from({ length: 4 }, () => rawInfer(port, nestedBody(6 * 1000 * 1000), 64 * 1024))),
    ),
};

async function runChild(name: string): Promise<CaseResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--case', name], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`case "${name}" exited with ${code}: ${output}`);
  return JSON.parse(output.trim().split('\n').at(-1)!) as CaseResult;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(
      'npm run bench:hostile [-- --case "<name>"]: peak memory of each hostile input of issue 10, one process per case.\nCases:\n' +
        Object.keys(CASES)
          .map((c) => `  ${c}`)
          .join('\n'),
    );
    return;
  }
  const caseIndex = args.indexOf('--case');
  if (caseIndex >= 0) {
    const name = args[caseIndex + 1];
    const run = CASES[name];
    if (!run) throw new Error(`--case "${name}": unknown; cases: ${Object.keys(CASES).join(' | ')}`);
    console.log(JSON.stringify(await run()));
    // A rejected input's generator may still be pending; the measurement is done.
    process.exit(0);
  }
  console.log('| case | input | outcome | peak RSS growth (MiB) | peak RSS (MiB) |\n|---|---|---|---|---|');
  for (const name of Object.keys(CASES)) {
    const result = await runChild(name);
    console.log(`| ${name} | ${result.input} | ${result.outcome} | ${result.growthMib.toFixed(1)} | ${result.peakMib.toFixed(1)} |`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
