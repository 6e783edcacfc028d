// npm run dashboards -- --env prod [--out cdk.out/dashboards]: writes the environment's Grafana dashboards (JSON, as
// the provisioning custom resource sends them) and prints each panel with the question it answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDashboards, panelsOf } from '../constructs/operations/dashboards';
import { ConfigError, loadEnvironment } from '../lib/config';
import { renderHelp, type FlagHelp } from '../lib/shared/cli-help';
import { readCdkJsonContext } from '../stacks/cdk-json-context';
import { dashboardInputOf } from '../stacks/dashboard-input';

const OPTIONS = {
  env: { type: 'string', default: 'dev' },
  out: { type: 'string', default: join('cdk.out', 'dashboards') },
  help: { type: 'boolean' },
} as const;
const HELP: FlagHelp<typeof OPTIONS> = {
  env: ['NAME', 'the environment of cdk.json (default dev)'],
  out: ['DIR', 'where the dashboard JSON files go (default cdk.out/dashboards)'],
  help: 'print this help and exit',
};

let values;
try {
  values = parseArgs({ options: OPTIONS, strict: true, allowPositionals: false }).values;
} catch (error) {
  console.error(
    `dashboards: ${(error as Error).message.split('\n')[0]}; allowed flags: ${Object.keys(OPTIONS)
      .map((f) => `--${f}`)
      .join(', ')}`,
  );
  process.exit(2);
}
if (values.help) {
  console.log(renderHelp(['npm run dashboards -- [--env NAME] [--out DIR]'], OPTIONS, HELP));
  process.exit(0);
}
try {
  const context = readCdkJsonContext('cdk.json');
  const { name, config } = loadEnvironment(context.environments, values.env);
  const dashboards = buildDashboards(dashboardInputOf(name, config));
  mkdirSync(values.out, { recursive: true });
  for (const { uid, title, json } of dashboards) {
    const file = join(values.out, `${uid}.json`);
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`${file}: ${title}`);
    for (const panel of panelsOf(json)) console.log(`  - ${panel.title}: ${panel.description}`);
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
