import type { IncomingMessage } from 'node:http';

/** How long, and how much, a refused upload is read and thrown away before its connection is cut. */
export interface LingerLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export const LINGER_TIMEOUT_MS = 5_000;
export const LINGER_MIN_BYTES = 64 * 1024 * 1024;

/**
 * A lingering close, after a 413 answered while the client is still sending. Closing at once would leave the rest of
 * the upload unread, and the kernel then resets the connection: a client that reads the response only once its upload
 * is done (Node's fetch) gets EPIPE or ECONNRESET instead of the 413. So the rest of the body is read and dropped
 * (memory stays flat), and the connection is closed once the body has ended — or cut after `maxBytes` or `timeoutMs`.
 */
export function lingerThenClose(req: IncomingMessage, limits: LingerLimits): void {
  const socket = req.socket;
  if (req.complete) {
    socket.end();
    return;
  }
  let discarded = 0;
  const cut = setTimeout(() => socket.destroy(), limits.timeoutMs);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limits.maxBytes) socket.destroy();
  });
  req.once('end', () => {
    clearTimeout(cut);
    socket.end();
  });
  req.resume();
}
