// npm run dashboards -- --env prod [--out cdk.out/dashboards]: writes the environment's Grafana dashboards (JSON, as
// the provisioning custom resource sends them) and prints each panel with the question it answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readCdkJsonContext } from '../stacks/cdk-json-context';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDashboards, panelsOf } from '../constructs/operations/dashboards';
import { ConfigError, loadEnvironment } from '../lib/config';
import { dashboardInputOf } from '../stacks/dashboard-input';

const { values } = parseArgs({ options: { env: { type: 'string', default: 'dev' }, out: { type: 'string', default: join('cdk.out', 'dashboards') } } });
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
