import { createServer } from 'node:http';

/** The HTTP floor: a bare node:http server that reads the body and answers a constant (with Content-Length, like the server). Port from argv[2]. */
const ANSWER = Buffer.from(process.env.FLOOR_ANSWER ?? '{"ok":true}', 'utf8');
const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length });
    res.end(ANSWER);
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
