// One measurement in a fresh process, so that its peak RSS is its own:
// `floor <csv>`, `split <csv>`, `validate <csv>` (parse + contract, no Parquet) or `ingest <csv> <outDir>`.
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { customerEventsContract } from '../../lib/contracts';
import { arrowSchemaOf } from '../../lambdas/ingest/arrow-schema';
import { forEachLine } from '../../lambdas/ingest/byte-lines';
import { DEFAULT_PARQUET_OPTIONS, ingestObject } from '../../lambdas/ingest/ingest-object';
import { createRecordDecoder } from '../../lambdas/ingest/read-records';
import { DEFAULT_INGEST_LIMITS } from '../../lambdas/ingest/ingest-limits';
import { decodeLine } from '../../lambdas/ingest/source-line';
import { RecordBatchBuilder } from '../../lambdas/ingest/record-batch-builder';

async function readlineFloor(path: string): Promise<Record<string, number>> {
  let lines = 0;
  for await (const _line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) lines++;
  return { lines };
}

async function rawSplitFloor(path: string): Promise<Record<string, number>> {
  let lines = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return { lines };
}

/** What ingestObject does before Parquet: split lines, check the contract, fill the Arrow column buffers (then drop them). */
async function parseAndValidate(path: string): Promise<Record<string, number>> {
  const decoder = createRecordDecoder('csv', customerEventsContract, DEFAULT_INGEST_LIMITS);
  const rows = new RecordBatchBuilder(customerEventsContract, arrowSchemaOf(customerEventsContract), DEFAULT_PARQUET_OPTIONS.batchRows);
  let rowsValid = 0;
  const onOverlongLine = () => undefined;
  await forEachLine(
    createReadStream(path),
    (bytes, start, end, lineNumber, terminator) => {
      if (decoder.tryAppendValid(bytes, start, end, rows)) rowsValid++;
      else {
        for (const { validation } of decoder.push(decodeLine(bytes, start, end, lineNumber, terminator))) {
          if (validation.ok) {
            rows.appendRow(validation.row);
            rowsValid++;
          }
        }
      }
      if (rows.isFull) rows.length = 0;
      return undefined;
    },
    { maxLineBytes: DEFAULT_INGEST_LIMITS.maxRecordBytes, onOverlongLine },
  );
  decoder.end();
  return { rowsValid };
}

async function ingest(path: string, outDir: string): Promise<Record<string, number>> {
  const store = (name: string) => (body: Readable) => pipeline(body, createWriteStream(join(outDir, name)));
  const counts = await ingestObject({
    input: createReadStream(path),
    format: 'csv',
    contract: customerEventsContract,
    sinks: { storeParquet: store('out.parquet'), storeQuarantine: store('quarantine.jsonl') },
  });
  return { ...counts };
}

async function main(): Promise<void> {
  const [mode, path, outDir] = process.argv.slice(2);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const modes: Record<string, () => Promise<Record<string, number>>> = {
    floor: () => readlineFloor(path),
    split: () => rawSplitFloor(path),
    validate: () => parseAndValidate(path),
    ingest: () => ingest(path, outDir),
  };
  const result = await modes[mode]();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted); // all threads of the process
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ mode, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...result }));
}

void main();
