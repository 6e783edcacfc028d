// serving/Dockerfile.cuda cannot be built here: there is no Docker daemon on this machine (and no GPU to run it on).
// It is checked by inspection against the CPU Dockerfile it must mirror, and onnxruntime-node's install script is
// checked to accept the flags the build passes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SERVING = join(__dirname, '../../../serving');
const instructionsOf = (file: string) =>
  readFileSync(join(SERVING, file), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
const cuda = instructionsOf('Dockerfile.cuda');
const cpu = instructionsOf('Dockerfile');
const runSteps = (lines: string[]) =>
  lines
    .find((line) => line.startsWith('RUN node scripts/bundle.js'))!
    .split('&&')
    .map((step) => step.trim());

function dockerDaemonAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

describe('the CUDA serving image (serving/Dockerfile.cuda), by inspection', () => {
  it('builds with Node 24 and runs on the NVIDIA CUDA 12 runtime with cuDNN', () => {
    expect(cuda.filter((line) => line.startsWith('FROM '))).toEqual([
      'FROM --platform=linux/amd64 public.ecr.aws/docker/library/node:24-bookworm-slim AS build',
      'FROM --platform=linux/amd64 nvcr.io/nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime',
    ]);
    expect(cuda).toContain('COPY --from=build /usr/local/bin/node /usr/local/bin/node');
  });

  it("installs onnxruntime's CUDA provider at build time and fails the build without its libraries", () => {
    const steps = runSteps(cuda);
    expect(steps).toContain('ONNXRUNTIME_NODE_INSTALL_CUDA=v12 node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install');
    for (const lib of ['onnxruntime_binding.node', 'libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']) {
      expect(steps).toContain(`test -f runtime/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/${lib}`);
    }
    // The install script knows the flag the build passes (v12 = CUDA 12); a typo would fail at build time.
    const installUtils = readFileSync(join(__dirname, '../../../node_modules/onnxruntime-node/script/install-utils.js'), 'utf8');
    expect(installUtils).toContain("case 'v12':");
    expect(installUtils).toContain('ONNXRUNTIME_NODE_INSTALL_CUDA');
  });

  it('mirrors the CPU image: same sources, bundle, pruning, user, port, entrypoint; requires CUDA (EXECUTION_PROVIDERS=cuda)', () => {
    const same = (line: string) =>
      line.startsWith('COPY ') || line.startsWith('USER ') || line.startsWith('EXPOSE ') || line.startsWith('ENTRYPOINT ') || line.startsWith('WORKDIR ');
    expect(cuda.filter((line) => same(line) && !line.includes('/usr/local/bin/node'))).toEqual(cpu.filter(same));
    const cpuSteps = runSteps(cpu);
    expect(runSteps(cuda).filter((step) => !step.includes('INSTALL_CUDA') && !step.includes('providers_'))).toEqual(cpuSteps);
    const env = cuda.find((line) => line.startsWith('ENV '))!;
    for (const setting of ['HOST=0.0.0.0', 'PORT=8080', 'EXECUTION_PROVIDERS=cuda', 'NVIDIA_VISIBLE_DEVICES=all']) expect(env).toContain(setting);
  });

  const build = dockerDaemonAvailable() ? it : it.skip;
  build('builds (only where a Docker daemon runs; skipped here: no Docker daemon on this machine)', () => {
    execFileSync('docker', ['build', '-f', join(SERVING, 'Dockerfile.cuda'), SERVING], { stdio: 'inherit', timeout: 1_800_000 });
  });
});
