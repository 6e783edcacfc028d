import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/cdk-context';

const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = (script: string, ...args: string[]) => spawnSync(process.execPath, [TSX, join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

/** Every command-line tool the README tells a user to run, by its npm script. */
const CLIS = [
  ['decide', 'scripts/decide.ts'],
  ['audit', 'scripts/audit-report.ts'],
  ['synth:k8s', 'stacks/k8s-app.ts'],
  ['dashboards', 'scripts/dashboards.ts'],
  ['drift:baseline', 'scripts/drift-baseline.ts'],
  ['serve', 'serving/src/main.ts'],
] as const;

describe.each(CLIS)('npm run %s', (_name, script) => {
  test('--help exits 0 and lists every flag the tool accepts (the flags its bad-flag error names)', () => {
    const help = run(script, '--help');
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    const bad = run(script, '--no-such-flag');
    expect(bad.status).not.toBe(0);
    const accepted = [...new Set(`${bad.stderr}${bad.stdout}`.match(/--[a-z][a-z0-9-]*/g) ?? [])].filter((flag) => flag !== '--no-such-flag');
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    expect(accepted.filter((flag) => !help.stdout.includes(flag))).toEqual([]);
  });
});

test('serve without a model repository names the flag (and the variable) that is missing, in one line without a stack trace', () => {
  const result = spawnSync(process.execPath, [TSX, join(REPO_ROOT, 'serving/src/main.ts')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, MODEL_REPOSITORY: '' },
  });
  expect(result.status).toBe(2);
  const lines = `${result.stdout}${result.stderr}`.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect((JSON.parse(lines[0]) as { message: string }).message).toBe(
    'invalid serving settings: --model-repository / MODEL_REPOSITORY is missing: set it to a folder or s3://bucket/prefix',
  );
});
