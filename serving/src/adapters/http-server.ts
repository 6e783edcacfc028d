import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientDisconnectedError, PayloadTooLargeError } from '../errors';
import type { ServingLogger } from '../logger';
import type { ServingMetrics } from '../metrics';
import { ConnectionErrors } from './connection-errors';
import { lingerThenClose, LINGER_MIN_BYTES, LINGER_TIMEOUT_MS, type LingerLimits } from './linger';
import { readBody } from './read-body';
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
  private readonly connections: ConnectionErrors;
  private readonly lingerLimits: LingerLimits;

  constructor(
    private readonly core: ServingCore,
    private readonly limits: HttpLimits,
    private readonly logger: ServingLogger,
    metrics: ServingMetrics,
  ) {
    this.lingerLimits = { maxBytes: Math.max(LINGER_MIN_BYTES, 4 * limits.maxBodyBytes), timeoutMs: LINGER_TIMEOUT_MS };
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
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => this.checkContinue(req, res));
    this.connections = new ConnectionErrors(this.server, metrics, logger);
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
    this.connections.requestStarted(req, res);
    let response: CoreResponse;
    let closeConnection = this.draining;
    let tooLarge = false;
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
      if (error instanceof ClientDisconnectedError) {
        // Counted by ConnectionErrors, which sees every way a client goes away.
        this.logger.debug('client disconnected before its request body was read', { requestId, url: req.url, receivedBytes: error.received });
        return;
      }
      response = errorResponse(error, this.logger, requestId);
      tooLarge = error instanceof PayloadTooLargeError;
      closeConnection = true;
    }
    if (res.destroyed) return;
    // Content-Length, not chunked framing: what binary tensor data clients check, and cheaper to write and parse.
    const headers: Record<string, string> = { ...response.headers, 'x-request-id': requestId, 'content-length': String(Buffer.byteLength(response.body)) };
    // A 413 is answered while the client may still be sending: close only once the rest is read (lingerThenClose).
    if ((closeConnection || this.draining) && !tooLarge) headers.connection = 'close';
    res.writeHead(response.status, headers);
    res.end(response.body);
    if (tooLarge) lingerThenClose(req, this.lingerLimits);
    if (response.status >= 400) {
      this.logger.debug('request answered with an error', { requestId, method: req.method, url: req.url, status: response.status });
    }
  }

  /** `Expect: 100-continue`: a body announced over the limit is refused before the client sends it. */
  private checkContinue(req: IncomingMessage, res: ServerResponse): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.limits.maxBodyBytes) {
      const response = errorResponse(new PayloadTooLargeError(this.limits.maxBodyBytes), this.logger, '');
      res.writeHead(response.status, { ...response.headers, connection: 'close' });
      res.end(response.body);
      return;
    }
    res.writeContinue();
    void this.serve(req, res);
  }
}
