// serving/Dockerfile cannot be built here (no docker engine): check it by inspection and
// run what it runs — the bundle script, the bundled entry points under plain node, and the
// binary-pruning commands on a copy of onnxruntime's folder layout.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inferBody, send } from './support/http-client';
import { FIXTURES, TempRepository } from './support/test-server';

const ROOT = join(__dirname, '../../..');
const SERVING = join(ROOT, 'serving');
const dockerfile = readFileSync(join(SERVING, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
const out = mkdtempSync(join(tmpdir(), 'serving-bundle-'));
const repo = new TempRepository({ 'scale/1/model.onnx': 'scale-v1.onnx' });

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  repo.remove();
});

describe('Dockerfile by inspection', () => {
  it('copies only files that exist in the build context and are not excluded by .dockerignore', () => {
    const sources = instructions.filter((line) => line.startsWith('COPY ') && !line.includes('--from=')).flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources).toEqual(['package.json', 'package-lock.json', 'scripts', 'src']);
    for (const source of sources) expect(existsSync(join(SERVING, source))).toBe(true);
    const allowed = readFileSync(join(SERVING, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'));
    expect(allowed).toEqual(['!package.json', '!package-lock.json', '!scripts/', '!src/']);
  });

  it('is multi-stage, linux/amd64, non-root, exposes 8080 and starts the bundled server', () => {
    expect(instructions.filter((line) => line.startsWith('FROM '))).toEqual([
      'FROM --platform=linux/amd64 public.ecr.aws/docker/library/node:24-bookworm-slim AS build',
      'FROM --platform=linux/amd64 public.ecr.aws/lambda/nodejs:24 AS runtime',
    ]);
    expect(instructions).toContain('USER 10001:10001');
    expect(instructions).toContain('EXPOSE 8080');
    expect(instructions).toContain('ENTRYPOINT ["node", "/var/task/main.js"]');
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('pins the same dependency versions as the tested repository', () => {
    const image = JSON.parse(readFileSync(join(SERVING, 'package.json'), 'utf8'));
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const [name, version] of Object.entries({ ...image.dependencies, ...image.devDependencies })) {
      expect([name, version]).toEqual([name, root.dependencies[name] ?? root.devDependencies[name]]);
    }
    const lock = JSON.parse(readFileSync(join(SERVING, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].dependencies).toEqual(image.dependencies);
  });

  it('prunes onnxruntime binaries down to linux-x64', () => {
    const work = mkdtempSync(join(tmpdir(), 'serving-prune-'));
    try {
      const bin = join(ROOT, 'node_modules/onnxruntime-node/bin/napi-v6');
      for (const os of readdirSync(bin)) {
        for (const arch of readdirSync(join(bin, os))) {
          const dir = join(work, 'runtime/node_modules/onnxruntime-node/bin/napi-v6', os, arch);
          mkdirSync(dir, { recursive: true });
          for (const file of readdirSync(join(bin, os, arch))) writeFileSync(join(dir, file), '');
        }
      }
      const prune = instructions
        .find((line) => line.startsWith('RUN node scripts/bundle.js'))!
        .split('&&')
        .map((part) => part.trim())
        .filter((part) => part.startsWith('find runtime/') || part.startsWith('test -f runtime/'));
      expect(prune).toHaveLength(3);
      for (const command of prune) execFileSync('sh', ['-c', command], { cwd: work });
      const left = join(work, 'runtime/node_modules/onnxruntime-node/bin/napi-v6');
      expect(readdirSync(left)).toEqual(['linux']);
      expect(readdirSync(join(left, 'linux'))).toEqual(['x64']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('the bundled entry points under node', () => {
  beforeAll(async () => {
    await require(join(SERVING, 'scripts/bundle.js')).bundle(out);
  });

  const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ORT_INTRA_OP_THREADS: '1', LOG_LEVEL: 'WARN' };

  it('main.js serves HTTP and drains on SIGTERM', async () => {
    expect(readdirSync(out).sort()).toEqual(['lambda.js', 'lambda.js.map', 'main.js', 'main.js.map', 'session-worker.js', 'session-worker.js.map']);
    const port = 19000 + (process.pid % 1000);
    const child = spawn(process.execPath, [join(out, 'main.js'), 'serve', '--model-repository', repo.root, '--port', String(port)], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 20_000;
      while ((await send(`http://127.0.0.1:${port}/v2/health/ready`).catch(() => ({ status: 0 }))).status !== 200) {
        if (Date.now() > deadline) throw new Error('bundled server not ready');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const res = await send(`http://127.0.0.1:${port}/v2/models/scale/infer`, { body: inferBody('x', [1, 4], [4, 3, 2, 1]) });
      expect(res.json().outputs[0].data).toEqual([4, 3, 2, 1]);
      // Binary tensor data through the bundle: JSON header + 16 bytes of FP32 in, the output's 16 bytes back.
      const header = Buffer.from(
        JSON.stringify({
          inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }],
          parameters: { binary_data_output: true },
        }),
      );
      const tensor = Buffer.alloc(16);
      [4, 3, 2, 1].forEach((value, i) => tensor.writeFloatLE(value, i * 4));
      const binary = await send(`http://127.0.0.1:${port}/v2/models/scale/infer`, {
        body: Buffer.concat([header, tensor]),
        headers: { 'inference-header-content-length': String(header.length) },
      });
      const headerLength = Number(binary.headers['inference-header-content-length']);
      expect(binary.bytes.subarray(headerLength).equals(tensor)).toBe(true);
      expect((await send(`http://127.0.0.1:${port}/v2`)).json().extensions).toEqual(['binary_tensor_data']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('lambda.js exports a handler that answers a Function URL event', () => {
    const event = join(FIXTURES, 'lambda-events/function-url.json');
    const script = `require(${JSON.stringify(join(out, 'lambda.js'))}).handler(require(${JSON.stringify(event)}))
      .then((r) => { console.log(JSON.stringify(r)); process.exit(0); })`;
    const printed = execFileSync(process.execPath, ['-e', script], {
      env: { ...env, MODEL_REPOSITORY: repo.root, MODEL_POLL_INTERVAL_SECONDS: '0' },
    }).toString();
    const result = JSON.parse(printed.trim().split('\n').pop()!);
    expect([result.statusCode, JSON.parse(result.body).outputs[0].data]).toEqual([200, [1, 1, 1, 1]]);
  });
});
