/**
 * Writes the audit report of each environment: `npm run audit -- [--env NAME] [--out DIR]`.
 * Synthesizes with every policy gate on, exactly as `cdk synth -c env=NAME` does, and builds the report only from
 * what was synthesized. Exits 1 if any gate has an unacknowledged finding, 2 on a bad flag.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAuditReport } from '../lib/audit';
import { auditInputFrom } from '../stacks/audit-input';
import { synthWithGates } from '../stacks/gated-synth';

function usageError(message: string): never {
  console.error(`audit: ${message}`);
  process.exit(2);
}

function main(): void {
  let values: { env?: string; out?: string };
  try {
    ({ values } = parseArgs({ options: { env: { type: 'string' }, out: { type: 'string' } }, strict: true }));
  } catch (error) {
    usageError((error as Error).message);
  }
  const root = resolve(__dirname, '..');
  const { context } = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const known = Object.keys(context.environments as Record<string, unknown>);
  if (values.env !== undefined && !known.includes(values.env)) usageError(`--env: got '${values.env}'; known environments: ${known.join(', ')}`);
  const outDir = resolve(values.out ?? join(root, 'cdk.out', 'audit'));
  mkdirSync(outDir, { recursive: true });

  let failed = false;
  for (const environmentName of values.env ? [values.env] : known) {
    const synthDir = mkdtempSync(join(tmpdir(), 'cdk.out-audit-'));
    try {
      const result = synthWithGates(context, environmentName, synthDir);
      const input = auditInputFrom(result, new Date().toISOString());
      const file = join(outDir, `${environmentName}.md`);
      writeFileSync(file, buildAuditReport(input));
      const status = result.synthError ? `FAIL (${result.findings.length} unacknowledged findings)` : 'PASS';
      console.log(`${environmentName}: ${status}; ${input.acknowledgments.length} acknowledged findings; report ${file}`);
      failed ||= result.synthError !== undefined;
    } finally {
      rmSync(synthDir, { recursive: true, force: true });
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
