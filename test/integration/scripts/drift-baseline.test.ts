// `npm run drift:baseline` on real files (CSV and Parquet, read by DuckDB), and the Python recipe the trainer uses.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildFeatureBaseline, parseDriftBaseline } from '../../../lib/drift';
import { REPO_ROOT } from '../../support/cdk-context';

const dir = mkdtempSync(join(tmpdir(), 'drift-baseline-'));
const csv = join(dir, 'reference.csv');
const parquet = join(dir, 'reference.parquet');
const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => spawnSync(tsx, [join(REPO_ROOT, 'scripts', 'drift-baseline.ts'), ...args], { encoding: 'utf8' });

const rows = Array.from({ length: 3000 }, (_, i) => ({
  tenure: (i * 7919) % 72,
  charges: Math.round(((i * 104729) % 10007) / 7) / 10,
  churned: i % 2,
  plan: i % 3 === 0 ? 'pro' : 'basic',
}));

beforeAll(async () => {
  writeFileSync(csv, ['tenure,charges,churned,plan', ...rows.map((r) => `${r.tenure},${r.charges},${r.churned},${r.plan}`)].join('\n'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run drift:baseline', () => {
  it('writes the same baseline from CSV and from Parquet, numeric columns in file order minus --exclude', () => {
    const fromCsv = cli('--input', csv, '--out', join(dir, 'a.json'), '--exclude', 'churned', '--sample-size', '500');
    expect(fromCsv.stdout).toMatch(/^wrote .*a\.json: 2 features from 3000 rows \(0:tenure, 1:charges\)/);
    const fromParquet = cli('--input', parquet, '--out', join(dir, 'b.json'), '--exclude', 'churned', '--sample-size', '500');
    expect(fromParquet.status).toBe(0);
    const a = parseDriftBaseline(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')));
    const b = parseDriftBaseline(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')));
    expect(b.features).toEqual(a.features);
    expect(a).toMatchObject({ inputTensor: 'input', inputColumns: 2, dataset: { rows: 3000 } });
    expect(a.features[0].sample.method).toBe('order-statistics');
    expect(a.features[0].sample.values).toHaveLength(500);
    expect(a.features[0].bins.counts.reduce((x, y) => x + y)).toBe(3000);
  });

  it.each([
    [['--input', 'x.xlsx', '--out', 'o'], /^--input x\.xlsx: expected a \.parquet or \.csv file$/],
    [['--input', 'CSV', '--out', 'o', '--features', 'plan'], /^--features plan: column type VARCHAR is not numeric/],
    [['--input', 'CSV'], /^--input <file.parquet\|file.csv> and --out <file> are required$/],
  ])('%j fails with one line naming the flag (exit 2)', (args, message) => {
    const result = cli(...args.map((a) => (a === 'CSV' ? csv : a)));
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
  });
});

describe('scripts/drift/feature_baseline.py (the trainer’s recipe)', () => {
  it('writes what the TypeScript builder writes', () => {
    const columns = [
      { name: 'tenure', column: 0, values: rows.map((r) => r.tenure) },
      { name: 'charges', column: 1, values: rows.map((r, i) => (i % 97 === 0 ? null : r.charges)) },
    ];
    const python = execFileSync('/usr/bin/python3', [join(REPO_ROOT, 'scripts', 'drift', 'feature_baseline.py')], {
      input: JSON.stringify({ columns, bins: 10, sampleSize: 700 }),
      encoding: 'utf8',
    });
    const fromPython = JSON.parse(python) as ReturnType<typeof buildFeatureBaseline>[];
    columns.forEach((column, i) => {
      const fromTypeScript = buildFeatureBaseline(column, { bins: 10, sampleSize: 700 });
      expect(fromPython[i].bins).toEqual(fromTypeScript.bins);
      expect(fromPython[i].sample).toEqual(fromTypeScript.sample);
      expect(fromPython[i].statistics.count).toBe(fromTypeScript.statistics.count);
      expect(fromPython[i].statistics.missing).toBe(fromTypeScript.statistics.missing);
      expect(fromPython[i].statistics.mean).toBeCloseTo(fromTypeScript.statistics.mean, 10);
      expect(fromPython[i].statistics.stddev).toBeCloseTo(fromTypeScript.statistics.stddev, 10);
    });
  });
});
