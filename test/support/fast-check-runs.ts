// `FC_NUM_RUNS=5000 npx jest <files>` runs every property with more inputs than the default 100, to hunt rare cases.
// Properties that set their own numRuns keep it. fast-check is only loaded when asked for.
const runs = process.env.FC_NUM_RUNS;
if (runs !== undefined) {
  const numRuns = Number(runs);
  if (!Number.isInteger(numRuns) || numRuns < 1) throw new Error(`FC_NUM_RUNS: got '${runs}'; a whole number of runs, at least 1`);
  const fc: typeof import('fast-check') = require('fast-check');
  fc.configureGlobal({ numRuns });
}

/**
 * Runs for a property that is costly per run (whole pipelines, servers): `defaultRuns` in CI, FC_NUM_RUNS when set.
 * Use as `{ numRuns: costlyRuns(15) }`.
 */
export function costlyRuns(defaultRuns: number): number {
  return runs === undefined ? defaultRuns : Number(runs);
}
