// npm run bench:ingest [-- rows...] : customer-events CSVs with 1% invalid rows → parse → validate → Parquet, against the floor.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { generateCustomerEventsCsv } from './generate-csv';

interface Measurement {
  mode: string;
  seconds: number;
  /** CPU time of the whole process (all threads): above `seconds` when the Parquet encoder's thread overlaps. */
  cpuSeconds: number;
  peakRssMb: number;
  rowsIn?: number;
  rowsValid?: number;
  rowsQuarantined?: number;
}

const RSS_GOAL_MB = 256;
const FLOOR_RATIO_GOAL = 4;

/**
 * Bundles the worker the way the Lambda is bundled (esbuild, CommonJS; the Parquet encoder's worker script bundled
 * beside it, and parquet-wasm's .wasm beside that).
 */
function bundleWorker(dir: string): string {
  const outfile = join(dir, 'bench-worker.js');
  const options = { bundle: true, platform: 'node', target: 'node20', logLevel: 'error' } as const;
  buildSync({ ...options, entryPoints: [join(__dirname, 'bench-worker.ts')], outfile });
  buildSync({ ...options, entryPoints: [require.resolve('../../lambdas/ingest/parquet-encoder-worker.js')], outfile: join(dir, 'parquet-encoder-worker.js') });
  copyFileSync(require.resolve('parquet-wasm/node/parquet_wasm_bg.wasm'), join(dir, 'parquet_wasm_bg.wasm'));
  return outfile;
}

function measure(worker: string, args: string[]): Measurement {
  const out = execFileSync(process.execPath, [worker, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Measurement;
}

/** The 1, 5 and 15 minute load averages: other work on the machine slows every figure (the ratio less so). */
function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

async function main(): Promise<void> {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  // Measure when the 1-minute load is below the CPU count if you can: other processes take cores from the pipeline's two threads.
  console.log(`load average at start (1, 5, 15 min): ${loadAverage()} on ${cpus().length} CPUs`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  const rows: string[][] = [];
  try {
    const worker = bundleWorker(dir);
    for (const size of sizes.length > 0 ? sizes : [1_000_000, 5_000_000]) {
      const csv = join(dir, `customer-events-${size}.csv`);
      const invalid = await generateCustomerEventsCsv(csv, size);
      const csvMb = statSync(csv).size / 2 ** 20;
      const floor = measure(worker, ['floor', csv]);
      const split = measure(worker, ['split', csv]);
      const validate = measure(worker, ['validate', csv]);
      const ingest = measure(worker, ['ingest', csv, dir]);
      const consistent = ingest.rowsIn === size && ingest.rowsQuarantined === invalid && ingest.rowsValid === size - invalid;
      rows.push([
        size.toLocaleString('en-US'),
        csvMb.toFixed(0),
        `${floor.seconds.toFixed(2)} (${split.seconds.toFixed(2)})`,
        validate.seconds.toFixed(2),
        `${ingest.seconds.toFixed(2)} (${ingest.cpuSeconds.toFixed(2)})`,
        Math.round(size / ingest.seconds).toLocaleString('en-US'),
        `${(ingest.seconds / floor.seconds).toFixed(1)}× (${(ingest.seconds / split.seconds).toFixed(1)}×)`,
        ingest.peakRssMb.toFixed(0),
        `${floor.peakRssMb.toFixed(0)}`,
        (statSync(join(dir, 'out.parquet')).size / 2 ** 20).toFixed(1),
        consistent ? `ok ${ingest.rowsValid}+${ingest.rowsQuarantined}` : `MISMATCH ${JSON.stringify(ingest)}`,
      ]);
      rmSync(csv);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = [
    'rows',
    'CSV MB',
    'floor s: readline (raw split)',
    'parse+validate s',
    'ingest s (CPU s)',
    'rows/s',
    'ratio to floor (raw)',
    'peak RSS MB',
    'floor RSS MB',
    'Parquet MB',
    'rows in = silver + quarantine',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join(' | ');
  console.log(`load average at end (1, 5, 15 min): ${loadAverage()}`);
  console.log(`ingest bench (Node ${process.version}, ${process.arch}); goals: ≤ ${FLOOR_RATIO_GOAL}× the readline floor, peak RSS < ${RSS_GOAL_MB} MB`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

void main();
