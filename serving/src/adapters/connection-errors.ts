import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServingLogger } from '../logger';
import type { ServingMetrics } from '../metrics';

/** Parser error codes (llhttp) that get a specific status; any other malformed request gets 400. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  ERR_HTTP_HEADERS_TIMEOUT: 408,
};

/** The client closed or reset the connection (mid-request when the parser was inside a message: HPE_INVALID_EOF_STATE). */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

interface SocketState {
  /** Requests on this connection whose response is not finished yet. */
  pending: number;
  /** The error answer, waiting for those responses to go out first. */
  onIdle?: () => void;
}

/**
 * Node's `clientError` handling, replaced: by default a malformed request destroys its connection at once, and the
 * answers to the valid requests pipelined before it are lost. Here the answers already due are sent first, then
 * a JSON error with the status the problem deserves, then the connection closes. A client that went away (reset,
 * timeout on a dead peer) is not an error of the server: it is logged at debug level and counted.
 */
export class ConnectionErrors {
  private readonly sockets = new WeakMap<Socket, SocketState>();

  constructor(
    server: Server,
    private readonly metrics: ServingMetrics,
    private readonly logger: ServingLogger,
  ) {
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.onClientError(error, socket));
  }

  /** Call for every request: its connection's error answer waits until its response is finished. */
  requestStarted(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const state = this.stateOf(socket);
    state.pending++;
    res.once('close', () => {
      state.pending--;
      if (state.pending === 0) state.onIdle?.();
    });
  }

  private stateOf(socket: Socket): SocketState {
    let state = this.sockets.get(socket);
    if (state === undefined) {
      state = { pending: 0 };
      this.sockets.set(socket, state);
    }
    return state;
  }

  private onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (CLIENT_GONE.has(error.code ?? '') || !socket.writable) {
      // A request in progress on it (its body cut short) ends with ClientDisconnectedError once the socket is gone.
      const phase = this.stateOf(socket).pending > 0 ? 'body' : 'connection';
      this.metrics.clientDisconnects.inc({ phase });
      this.logger.debug('client went away', { code: error.code, phase });
      socket.destroy();
      return;
    }
    const status = STATUS_OF_CODE[error.code ?? ''] ?? 400;
    const reason = status === 400 ? `malformed HTTP request: ${error.message}` : STATUS_CODES[status]!;
    this.logger.debug('malformed request; answering it after the requests before it', { code: error.code, status });
    const answer = () => {
      if (socket.destroyed) return;
      const body = JSON.stringify({ error: reason });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    };
    const state = this.stateOf(socket);
    if (state.pending === 0) answer();
    else state.onIdle = answer;
  }
}
