import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderWorkedExamplesMarkdown } from '../../../../lib/decision/render';
import { WORKED_EXAMPLES } from '../../../../lib/decision/worked-examples';

const root = join(__dirname, '../../../..');

function decide(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'scripts/decide.ts'), ...args], { cwd: root, encoding: 'utf8' });
}

test('docs/decision-matrix.md carries the current generated tables (npm run docs:decision refreshes them)', () => {
  const docs = readFileSync(join(root, 'docs/decision-matrix.md'), 'utf8');
  expect(docs).toContain(renderWorkedExamplesMarkdown(WORKED_EXAMPLES));
});

test('the README worked-examples table is the generated one', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('| example | profile |');
  const table = readme.slice(start, readme.indexOf('\n\n', start));
  expect(start).toBeGreaterThan(0);
  expect(renderWorkedExamplesMarkdown(WORKED_EXAMPLES)).toContain(table);
});

describe('decide CLI', () => {
  test('--json prints the decision summary for a profile', () => {
    const result = decide(
      '--monthly-requests',
      '200000',
      '--peak-rps',
      '5',
      '--p99-latency-ms',
      '1500',
      '--payload-kb',
      '4',
      '--compute-ms',
      '8',
      '--memory-mb',
      '1024',
      '--team-size',
      '1',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ target: 'lambda', costs: { lambda: 0.09, fargate: expect.any(Number), eks: expect.any(Number) } });
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['target', 'costs', 'reasons', 'rejected', 'flipPoints', 'sizing']));
  });

  test('a bad flag value: one line naming the flag, the value and what is allowed; exit code 2', () => {
    const result = decide('--monthly-requests', '1e9x', '--peak-rps', '5');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("decide: --monthly-requests: got '1e9x'; expected a non-negative number\n");
  });

  test('--env prod decides every model of the environment', () => {
    const result = decide('--env', 'prod');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^prod\/churn-classifier: fargate$/m);
    expect(result.stdout).toMatch(/^prod\/fraud-scorer: eks$/m);
    expect(result.stdout).toMatch(/^prod\/doc-embedder: eks$/m);
  });
});
