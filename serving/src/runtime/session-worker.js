'use strict';
// Holds one onnxruntime InferenceSession in a worker thread. onnxruntime-node's
// session.run blocks the calling thread, so running it here keeps the server's
// event loop free (health checks, parsing the next requests, timeouts) while a
// batch computes. Plain JavaScript so that it loads the same way under node,
// tsx, jest and the bundled image. Messages are described in session-worker-client.ts.
const { parentPort } = require('node:worker_threads');
const { InferenceSession, Tensor } = require('onnxruntime-node');
const { TYPED_ARRAYS, ownBuffer } = require('./wire-tensor');

let session;

function describe(metadata) {
  return metadata.map((m) => ({ name: m.name, isTensor: m.isTensor, type: m.type, shape: m.shape }));
}

async function handle(message) {
  switch (message.type) {
    case 'load': {
      session = await InferenceSession.create(new Uint8Array(message.modelBytes), message.options);
      return { type: 'loaded', inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
    }
    case 'run': {
      const feeds = {};
      for (const f of message.feeds) feeds[f.name] = new Tensor(f.type, f.strings ?? new TYPED_ARRAYS[f.type](f.buffer), f.dims);
      const results = await session.run(feeds);
      const outputs = [];
      const transfer = [];
      for (const [name, tensor] of Object.entries(results)) {
        if (tensor.type === 'string') {
          outputs.push({ name, type: tensor.type, dims: tensor.dims, strings: tensor.data });
          continue;
        }
        const buffer = ownBuffer(tensor.data);
        outputs.push({ name, type: tensor.type, dims: tensor.dims, buffer });
        transfer.push(buffer);
      }
      return [{ type: 'result', id: message.id, outputs }, transfer];
    }
    case 'close': {
      if (session !== undefined) await session.release();
      session = undefined;
      return { type: 'closed' };
    }
    default:
      throw new Error(`unknown message type ${message.type}`);
  }
}

parentPort.on('message', (message) => {
  handle(message).then(
    (reply) => (Array.isArray(reply) ? parentPort.postMessage(reply[0], reply[1]) : parentPort.postMessage(reply)),
    (error) => parentPort.postMessage({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
