import { request as httpRequest } from 'node:http';

export interface ClientResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body's bytes as received (binary tensor data answers). */
  readonly bytes: Buffer;
  json<T = any>(): T;
}

/** One request on a fresh connection (no keep-alive, so servers close promptly in tests). */
export function send(
  url: string,
  options: { method?: string; body?: string | Buffer; headers?: Record<string, string>; chunks?: Buffer[] } = {},
): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? (options.body === undefined && options.chunks === undefined ? 'GET' : 'POST'), headers: options.headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(parts);
          const body = bytes.toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body, bytes, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.chunks !== undefined) {
      // Streams without Content-Length; stops writing if the server already answered.
      const write = (i: number): void => {
        if (i >= options.chunks!.length || req.destroyed) return void req.end();
        req.write(options.chunks![i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    } else {
      req.end(options.body);
    }
  });
}

export function inferBody(name: string, shape: number[], data: unknown, extra: object = {}, datatype = 'FP32'): string {
  return JSON.stringify({ ...extra, inputs: [{ name, shape, datatype, data }] });
}
