import type { IncomingMessage } from 'node:http';
import { ClientDisconnectedError, PayloadTooLargeError } from '../errors';

/** First allocation for a body of unknown length (chunked); it doubles as needed, never past the limit. */
const INITIAL_CAPACITY = 16 * 1024;

/**
 * Reads the body into one buffer, failing with PayloadTooLargeError (413) as soon as it passes `maxBytes` (or at once
 * when Content-Length says it will) and with ClientDisconnectedError when the client goes away first. Each chunk is
 * copied into the buffer as it arrives, so memory per request is bounded by the limit whatever the chunking: a body
 * sent one byte at a time costs its size, not a Buffer object per byte.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) return Promise.reject(new PayloadTooLargeError(maxBytes));
  return new Promise((resolve, reject) => {
    let body = Buffer.allocUnsafe(declared ?? Math.min(INITIAL_CAPACITY, maxBytes));
    let received = 0;
    const stop = (error: Error) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      const size = received + chunk.length;
      if (size > maxBytes) return stop(new PayloadTooLargeError(maxBytes));
      if (size > body.length) {
        const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(size, body.length * 2)));
        body.copy(grown, 0, 0, received);
        body = grown;
      }
      chunk.copy(body, received);
      received = size;
    };
    const onEnd = () => {
      req.off('data', onData).off('close', onClose).off('error', onClose);
      resolve(body.subarray(0, received));
    };
    const onClose = () => {
      if (!req.complete) stop(new ClientDisconnectedError(received));
    };
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}
