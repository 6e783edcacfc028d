'use strict';
// Encodes one Parquet file in a worker thread, so that the ingest function parses and validates the next rows while
// this thread encodes (arrow-rs in WebAssembly: dictionary, statistics, Snappy). Plain JavaScript so that it loads
// the same way under node, tsx, jest and the bundle. Protocol (see parquet-stream-writer.ts):
//   in:  workerData = ParquetEncoding + schemaIpc (the Arrow schema as IPC); { type: 'batch', batch: ColumnBatch } …;
//        { type: 'close' }
//   out: { type: 'taken' } once per batch the encoder has taken; { type: 'bytes', chunk } …; { type: 'end' } or
//        { type: 'error', message }
const { parentPort, workerData } = require('node:worker_threads');
const { RecordBatch, Struct, Table: ArrowTable, makeData, tableFromIPC, tableToIPC } = require('apache-arrow');
const { Compression, Table, WriterPropertiesBuilder, transformParquetStream } = require('parquet-wasm');

const schema = tableFromIPC(workerData.schemaIpc).schema;
const queue = []; // batches received, not yet taken by the encoder
let closing = false;
let encoderWaiting; // the encoder's pull, when it asked and the queue was empty

/** A ColumnBatch (plain typed arrays, see record-batch-builder.ts) as Arrow IPC stream bytes, which parquet-wasm reads. */
function toIpc({ length, columns }) {
  const children = columns.map((column, i) => makeData({ type: schema.fields[i].type, ...column }));
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return tableToIPC(new ArrowTable([new RecordBatch(schema, data)]), 'stream');
}

function feed(controller) {
  if (queue.length > 0) {
    const table = Table.fromIPCStream(toIpc(queue.shift()));
    for (const batch of table.recordBatches()) controller.enqueue(batch);
    table.free();
    parentPort.postMessage({ type: 'taken' });
    return true;
  }
  if (closing) {
    controller.close();
    return true;
  }
  return false;
}

const batches = new ReadableStream(
  {
    pull: (controller) =>
      new Promise((resolve) => {
        const tryFeed = () => {
          if (feed(controller)) resolve();
          else encoderWaiting = tryFeed;
        };
        tryFeed();
      }),
  },
  { highWaterMark: 0 },
);

parentPort.on('message', (message) => {
  if (message.type === 'batch') queue.push(message.batch);
  else if (message.type === 'close') closing = true;
  const wake = encoderWaiting;
  encoderWaiting = undefined;
  wake?.();
});

function ownBuffer(bytes) {
  // Transfer the chunk's memory when it is exactly one ArrayBuffer; copy otherwise.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : bytes.slice();
}

async function encode() {
  let properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(workerData.rowGroupRows)
    .setDictionaryEnabled(false)
    .setCreatedBy('mlops-blueprint ingest (parquet-wasm)');
  for (const column of workerData.dictionaryColumns) properties = properties.setColumnDictionaryEnabled(column, true);
  const reader = (await transformParquetStream(batches, properties.build())).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const bytes = ownBuffer(chunk.value);
    parentPort.postMessage({ type: 'bytes', chunk: bytes }, [bytes.buffer]);
  }
  parentPort.postMessage({ type: 'end' });
}

encode().catch((error) => parentPort.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
