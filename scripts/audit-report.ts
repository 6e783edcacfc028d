/**
 * The audit report of each environment, from its synthesized templates:
 *   npm run audit -- [--env NAME] [--compare OTHER] [--out DIR] [--schema] [--help]
 * Writes <out>/<env>.md and <out>/<env>.json (default out: cdk.out/audit) and prints a one-screen summary.
 * Exit codes: 0 all gates pass; 1 a gate has an unacknowledged finding; 2 a bad flag or unknown environment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditReportJsonSchema, buildAuditReport, renderAuditMarkdown, renderAuditSummary } from '../lib/audit';
import { synthesizeForAudit } from '../stacks/audit-synth';
import { readCdkJsonContext } from '../stacks/cdk-json-context';

const HELP = `Usage: npm run audit -- [options]

Synthesizes each environment with every policy gate on (cdk-nag AwsSolutions and NIST 800-53 R5, cfn-guard Control
Tower rules, CloudFormation schema validation) and its Kubernetes objects, and writes the audit report built only
from what was synthesized.

Options:
  --env NAME        audit one environment (default: every environment in cdk.json)
  --compare OTHER   also list what differs from environment OTHER (needs --env)
  --out DIR         where to write NAME.md and NAME.json (default: cdk.out/audit)
  --schema          print the JSON Schema of NAME.json and exit
  --help            print this help and exit

Exit codes: 0 every gate passes; 1 a gate has an unacknowledged finding; 2 a bad flag or an unknown environment.`;

const OPTIONS = {
  env: { type: 'string' },
  compare: { type: 'string' },
  out: { type: 'string' },
  schema: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function usageError(message: string): never {
  console.error(
    `audit: ${message}; allowed flags: ${Object.keys(OPTIONS)
      .map((flag) => `--${flag}`)
      .join(', ')} (see --help)`,
  );
  process.exit(2);
}

function main(): void {
  let values: { env?: string; compare?: string; out?: string; schema?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ options: OPTIONS, strict: true }));
  } catch (error) {
    usageError((error as Error).message.split('\n')[0]);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (values.schema) {
    console.log(JSON.stringify(auditReportJsonSchema(), null, 2));
    return;
  }
  const root = resolve(__dirname, '..');
  const cdkJsonPath = join(root, 'cdk.json');
  const known = Object.keys(readCdkJsonContext(cdkJsonPath).environments ?? {});
  for (const [flag, name] of [
    ['--env', values.env],
    ['--compare', values.compare],
  ] as const) {
    if (name !== undefined && !known.includes(name)) usageError(`${flag}: got '${name}'; known environments: ${known.join(', ')}`);
  }
  if (values.compare !== undefined && values.env === undefined) usageError('--compare needs --env, e.g. --env prod --compare staging');
  const outDir = resolve(values.out ?? join(root, 'cdk.out', 'audit'));
  mkdirSync(outDir, { recursive: true });

  const now = new Date();
  const synth = (environmentName: string) => synthesizeForAudit({ repositoryRoot: root, cdkJsonPath, environmentName, now });
  let failed = false;
  for (const environmentName of values.env ? [values.env] : known) {
    const here = synth(environmentName);
    const other = values.compare !== undefined ? synth(values.compare).input : undefined;
    const report = buildAuditReport(here.input, other);
    writeFileSync(join(outDir, `${environmentName}.md`), renderAuditMarkdown(report));
    writeFileSync(join(outDir, `${environmentName}.json`), `${JSON.stringify(report, null, 2)}\n`);
    console.log(renderAuditSummary(report));
    console.log(`  report: ${join(outDir, `${environmentName}.md`)} and .json`);
    if (here.synthError) console.log(`  synthesis failed: ${here.synthError.message.split('\n')[0]}`);
    failed ||= !report.summary.gatesPass || here.synthError !== undefined;
  }
  process.exit(failed ? 1 : 0);
}

main();
