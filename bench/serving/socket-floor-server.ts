import { createServer } from 'node:net';

/**
 * The socket floor: a bare node:net server that frames each request by its Content-Length and writes a constant
 * HTTP/1.1 answer (the same bytes as the floor's), with no HTTP parsing beyond that — what answering costs with no
 * HTTP layer at all, the least any transport could cost. For the benchmark's budget figures only: it validates nothing.
 * Port from argv[2].
 */
const BODY = Buffer.from(process.env.FLOOR_ANSWER ?? '{"ok":true}', 'utf8');
const ANSWER = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n`, 'latin1'), BODY]);
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

const server = createServer({ noDelay: true }, (socket) => {
  let pending: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const data = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    pending = undefined;
    let offset = 0;
    for (;;) {
      const headEnd = data.indexOf('\r\n\r\n', offset, 'latin1');
      if (headEnd < 0) break;
      const length = Number(CONTENT_LENGTH.exec(data.toString('latin1', offset, headEnd))?.[1] ?? 0);
      if (headEnd + 4 + length > data.length) break;
      offset = headEnd + 4 + length;
      socket.write(ANSWER);
    }
    if (offset < data.length) pending = data.subarray(offset);
  });
  socket.on('error', () => socket.destroy());
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
