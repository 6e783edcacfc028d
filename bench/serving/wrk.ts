import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processCpu } from './cpu-time';
import { pinnedCommand } from './cpus';

/** wrk from Debian, installed by the benchmark when missing (CI never runs the benchmark, so CI does not install it). */
export function ensureWrk(): string {
  const found = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  if (found !== '') return found;
  const install = ['apt-get', 'install', '-y', 'wrk'];
  console.log(`wrk is not installed: ${install.join(' ')}`);
  const [command, ...args] = process.getuid?.() === 0 ? install : ['sudo', ...install];
  execFileSync(command, args, { stdio: 'inherit' });
  return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
}

export interface WrkRequest {
  /** The request body, written to a file the Lua script reads once per wrk thread. */
  readonly body: Buffer | string;
  /**
   * Bodies to send in turn instead of `body` (one JSON text each, no line breaks): traffic whose content varies, where
   * what the server does depends on it (compressing captured requests: identical ones compress ten times cheaper).
   */
  readonly bodies?: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
}

export interface WrkResult {
  readonly connections: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors and timeouts, plus answers whose status was not 2xx. */
  readonly errors: number;
  /** CPU time of the server process (every thread) per answered request, over the measured run. */
  readonly serverCpuMicros: number;
}

/**
 * A Lua script making wrk POST the body with the headers, and report its figures as one JSON line (`WRK_RESULT {...}`):
 * wrk's own text report rounds latencies, this keeps microseconds.
 */
function luaScript(dir: string, name: string, request: WrkRequest): string {
  const bodyPath = join(dir, `${name}.body`);
  const headers = Object.entries(request.headers)
    .map(([key, value]) => `wrk.headers[${JSON.stringify(key)}] = ${JSON.stringify(value)}`)
    .join('\n');
  let body: string;
  if (request.bodies === undefined) {
    writeFileSync(bodyPath, request.body);
    body = `local file = assert(io.open(${JSON.stringify(bodyPath)}, "rb"))
wrk.body = file:read("*all")
file:close()`;
  } else {
    if (request.bodies.some((text) => /[\r\n]/.test(text))) throw new Error('wrk bodies are read one per line: no line breaks');
    writeFileSync(bodyPath, `${request.bodies.join('\n')}\n`);
    // Each request formatted once, in init; request() hands them out in turn.
    body = `local requests = {}
init = function(args)
  for line in io.lines(${JSON.stringify(bodyPath)}) do requests[#requests + 1] = wrk.format(nil, nil, nil, line) end
end
local next_request = 0
request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end`;
  }
  const script = `
wrk.method = "POST"
${headers}
${body}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"socket_errors":%d,"status_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
`;
  const scriptPath = join(dir, `${name}.lua`);
  writeFileSync(scriptPath, script);
  return scriptPath;
}

export interface WrkRun {
  readonly url: string;
  readonly request: WrkRequest;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** CPUs wrk is pinned to. */
  readonly cpus: readonly number[];
  /** The server's process id, to price a request in its CPU time. */
  readonly serverPid: number;
  /** Folder for the Lua script and body file. */
  readonly workDir: string;
}

/** Script files written so far: runs side by side get files of their own. */
let scripts = 0;

/** A warm-up run (discarded), then the measured run: one wrk thread, closed loop on `connections` keep-alive connections. */
export async function runWrk(run: WrkRun): Promise<WrkResult> {
  const script = luaScript(run.workDir, `run${++scripts}-c${run.connections}`, run.request);
  if (run.warmupSeconds > 0) await wrk(run, script, run.warmupSeconds);
  const before = processCpu(run.serverPid);
  const report = await wrk(run, script, run.seconds);
  const after = processCpu(run.serverPid);
  const answered = Math.max(1, report.requests - report.status_errors);
  return {
    connections: run.connections,
    requests: report.requests,
    requestsPerSecond: (report.requests - report.status_errors) / (report.duration_us / 1e6),
    p50Ms: report.p50_us / 1000,
    p99Ms: report.p99_us / 1000,
    errors: report.socket_errors + report.status_errors,
    serverCpuMicros: ((after.totalSeconds - before.totalSeconds) * 1e6) / answered,
  };
}

interface WrkReport {
  readonly requests: number;
  readonly duration_us: number;
  readonly p50_us: number;
  readonly p99_us: number;
  readonly socket_errors: number;
  readonly status_errors: number;
}

function wrk(run: WrkRun, script: string, seconds: number): Promise<WrkReport> {
  const args = ['-t', '1', '-c', String(run.connections), '-d', `${seconds}s`, '--timeout', '10s', '-s', script, run.url];
  const [command, pinnedArgs] = pinnedCommand(run.cpus, 'wrk', args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, pinnedArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = /^WRK_RESULT (.+)$/m.exec(out)?.[1];
      if (code !== 0 || line === undefined) reject(new Error(`wrk exited with ${code}: ${err.trim() || out.trim()}`));
      else resolve(JSON.parse(line) as WrkReport);
    });
  });
}
