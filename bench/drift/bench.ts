/**
 * bench:drift — PSI + exact KS for ROWS rows × FEATURES features against baselines (10 bins, 10,000-value samples),
 * beside the floor: one pass that only sums the same arrays. Prints time, ratio and peak RSS in one run.
 *   npm run bench:drift [-- --rows 1000000 --features 20 --repeats 3]
 * Goal (issue 13): within 5× of the floor, peak RSS under 256 MB.
 */
import { parseArgs } from 'node:util';
import { buildFeatureBaseline, FeatureDriftAccumulator, type BaselineFeature } from '../../lib/drift';

const { values } = parseArgs({ options: { rows: { type: 'string' }, features: { type: 'string' }, repeats: { type: 'string' } } });
const ROWS = Number(values.rows ?? 1_000_000);
const FEATURES = Number(values.features ?? 20);
const REPEATS = Number(values.repeats ?? 5);
const REFERENCE_ROWS = 100_000;

function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feature f: normal, uniform, small integers or lognormal, by f % 4; `shift` moves it. */
function column(f: number, rows: number, seed: number, shift: number): Float32Array {
  const r = generator(seed * 7919 + f);
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const normal = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const v = f % 4 === 0 ? normal : f % 4 === 1 ? r() * 100 : f % 4 === 2 ? Math.floor(r() * 8) : Math.exp(normal);
    out[i] = v + shift;
  }
  return out;
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

const baselines: BaselineFeature[] = [];
for (let f = 0; f < FEATURES; f++) baselines.push(buildFeatureBaseline({ name: `f${f}`, column: f, values: column(f, REFERENCE_ROWS, 1, 0) }));
// Half the features drift a little: the work is the same either way, the figures show it is computed.
const captured = Array.from({ length: FEATURES }, (_, f) => column(f, ROWS, 2, f % 2 === 0 ? 0 : 0.3));
(globalThis as { gc?: () => void }).gc?.();

const floor = () => {
  let total = 0;
  for (const values of captured) for (let i = 0; i < values.length; i++) total += values[i];
  return total;
};
const drift = () =>
  captured.map((values, f) => {
    const accumulator = new FeatureDriftAccumulator(baselines[f]);
    accumulator.add(values);
    return accumulator.result();
  });

let floorMs = Infinity;
let driftMs = Infinity;
let results: ReturnType<typeof drift> = [];
let checksum = 0;
for (let i = 0; i < REPEATS; i++) {
  const a = time(floor);
  floorMs = Math.min(floorMs, a.ms);
  checksum += a.result;
  const b = time(drift);
  driftMs = Math.min(driftMs, b.ms);
  results = b.result;
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const ratio = driftMs / floorMs;
const sampleBytes = baselines.reduce((sum, b) => sum + b.sample.values.length * 8, 0);

console.log(
  `bench:drift — ${ROWS.toLocaleString('en-US')} rows × ${FEATURES} features (Float32 columns), baselines of ${REFERENCE_ROWS.toLocaleString('en-US')} rows, 10 bins, ${baselines[0].sample.values.length}-value KS samples; best of ${REPEATS}`,
);
console.log('');
console.log('| pass | time | values/s | vs floor |');
console.log('|---|---|---|---|');
console.log(`| floor: sum every value | ${floorMs.toFixed(1)} ms | ${((ROWS * FEATURES) / floorMs / 1e3).toFixed(0)} M | 1.00× |`);
console.log(
  `| PSI + exact KS, every feature | ${driftMs.toFixed(1)} ms | ${((ROWS * FEATURES) / driftMs / 1e3).toFixed(0)} M | ${ratio.toFixed(2)}× (goal ≤ 5×: ${ratio <= 5 ? 'met' : 'not met'}) |`,
);
console.log('');
console.log(
  `peak RSS ${peakRssMb.toFixed(0)} MB (goal < 256 MB: ${peakRssMb < 256 ? 'met' : 'not met'}); of which captured data ${((ROWS * FEATURES * 4) / 2 ** 20).toFixed(0)} MB, baseline samples ${(sampleBytes / 2 ** 20).toFixed(1)} MB`,
);
console.log(
  `figures: ${results
    .slice(0, 4)
    .map((r) => `${r.feature} PSI ${r.psi!.toFixed(4)} D ${r.ksStatistic!.toFixed(4)}`)
    .join('; ')} … (checksum ${checksum.toExponential(3)})`,
);
