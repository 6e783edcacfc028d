import { Agent, request } from 'node:http';
import { ownCpuSeconds, processCpu } from './cpu-time';

export interface LoadResult {
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** CPU per answered request (whole cell, warm-up included): this load client, and the server when its pid is known. */
  readonly clientCpuMicros: number;
  readonly serverCpuMicros: number;
  readonly serverMainThreadCpuMicros: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  /** The server's process id, to measure its CPU time. */
  readonly serverPid?: number;
}

/**
 * Closed-loop load: `concurrency` clients on keep-alive connections, each sending the
 * next request as soon as its previous answer arrived. Only answers that complete inside
 * the measurement window (after the warm-up) count.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(options.url);
  const payload = Buffer.from(options.body);
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const measureTo = measureFrom + options.measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let answered = 0;
  const clientCpuStart = ownCpuSeconds();
  const serverCpuStart = options.serverPid === undefined ? undefined : processCpu(options.serverPid);

  const once = () =>
    new Promise<number>((resolve, reject) => {
      const sent = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - sent : -1));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const client = async () => {
    while (performance.now() < measureTo) {
      const sentAt = performance.now();
      const latency = await once().catch(() => -1);
      const doneAt = performance.now();
      answered++;
      if (sentAt < measureFrom || doneAt > measureTo) continue;
      if (latency < 0) errors++;
      else latencies.push(latency);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const perRequest = (seconds: number) => (seconds * 1e6) / answered;
  const clientCpuMicros = perRequest(ownCpuSeconds() - clientCpuStart);
  const serverCpuEnd = options.serverPid === undefined ? undefined : processCpu(options.serverPid);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    concurrency: options.concurrency,
    requestsPerSecond: (latencies.length / options.measureMs) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    clientCpuMicros,
    serverCpuMicros: serverCpuEnd ? perRequest(serverCpuEnd.totalSeconds - serverCpuStart!.totalSeconds) : Number.NaN,
    serverMainThreadCpuMicros: serverCpuEnd ? perRequest(serverCpuEnd.mainThreadSeconds - serverCpuStart!.mainThreadSeconds) : Number.NaN,
  };
}
