import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PayloadTooLargeError } from '../errors';
import type { ServingLogger } from '../logger';
import type { CoreResponse } from './core-types';
import { errorResponse } from './error-response';
import type { ServingCore } from './serving-core';

export interface HttpLimits {
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes: number;
  /** Time allowed to receive the request headers. */
  readonly headersTimeoutMs: number;
  /** Time allowed to receive the whole request. */
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/** The node:http adapter: reads a bounded body, hands the request to the core, writes its response. */
export class HttpServingServer {
  readonly server: Server;
  private draining = false;

  constructor(
    private readonly core: ServingCore,
    private readonly limits: HttpLimits,
    private readonly logger: ServingLogger,
  ) {
    this.server = createServer(
      {
        maxHeaderSize: limits.maxHeaderBytes,
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        noDelay: true,
      },
      (req, res) => void this.serve(req, res),
    );
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /**
   * Graceful stop: readiness goes false and new requests get 503 while in-flight ones
   * finish (bounded by `drainTimeoutMs`); then the listener and all connections close.
   * Returns whether every in-flight request finished in time.
   */
  async drain(drainTimeoutMs: number): Promise<boolean> {
    this.draining = true;
    this.core.startDraining();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.core.whenIdle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), drainTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    await this.close();
    return finished;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    setTimeout(() => this.server.closeAllConnections(), 1000).unref();
    await closed;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && header.length > 0 && header.length <= 128 ? header : randomUUID();
    let response: CoreResponse;
    let closeConnection = this.draining;
    try {
      const body = await readBody(req, this.limits.maxBodyBytes);
      const queryAt = req.url!.indexOf('?');
      response = await this.core.handle({
        method: req.method!,
        path: queryAt < 0 ? req.url! : req.url!.slice(0, queryAt),
        headers: req.headers as Record<string, string | undefined>,
        body,
        requestId,
      });
    } catch (error) {
      // Body too large or the client went away: answer, and do not read the rest of the body.
      response = errorResponse(error, this.logger, requestId);
      closeConnection = true;
    }
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...response.headers, 'x-request-id': requestId };
    if (closeConnection || this.draining) headers.connection = 'close';
    res.writeHead(response.status, headers);
    res.end(response.body);
    if (response.status >= 400) {
      this.logger.debug('request answered with an error', { requestId, method: req.method, url: req.url, status: response.status });
    }
  }
}

/** Reads the body as UTF-8, failing with 413 as soon as it passes the limit (never buffers more than the limit). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(new PayloadTooLargeError(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        req.removeAllListeners('data');
        req.pause();
        reject(new PayloadTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
