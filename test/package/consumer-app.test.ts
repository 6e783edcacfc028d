/**
 * The construct library as an architect installs it: `npm pack`, a fresh app that depends only on aws-cdk-lib,
 * constructs, typescript and the tarball, the README's "Composing the constructs" app (examples/compose-platform/app.ts,
 * which the README embeds verbatim) compiled with strict tsc and synthesized with every policy gate on.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/cdk-context';

const APP_DIR = join(REPO_ROOT, 'examples', 'compose-platform');
const RUNTIME_ONLY_PACKAGES = ['onnxruntime-node', 'parquet-wasm', 'apache-arrow', 'cdktf', '@cdktf/provider-kubernetes', '@aws-sdk/client-s3'];
const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

function duBytes(path: string): number {
  return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
}

describe('the packed construct library in a fresh app', () => {
  let work: string;
  let tarball: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'consumer-'));
    // What prepack runs (dist/ with declarations and the prebuilt Lambda bundles), apart so its output stays out of --json.
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    ) as Array<{
      filename: string;
      size: number;
      unpackedSize: number;
      files: Array<{ path: string }>;
    }>;
    tarball = join(work, packed[0].filename);
    console.log(`tarball ${(packed[0].size / 1e6).toFixed(1)} MB, unpacked ${(packed[0].unpackedSize / 1e6).toFixed(1)} MB, ${packed[0].files.length} files`);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'consumer-app',
        private: true,
        dependencies: {
          'aws-cdk-lib': rootPackage.devDependencies['aws-cdk-lib'],
          constructs: rootPackage.devDependencies.constructs,
          typescript: rootPackage.devDependencies.typescript,
          // As `cdk init app --language typescript` sets it up: the app runs on Node.
          '@types/node': rootPackage.devDependencies['@types/node'],
          'mlops-blueprint': `file:${tarball}`,
        },
      }),
    );
    for (const file of ['app.ts', 'cdk.json', 'tsconfig.json']) copyFileSync(join(APP_DIR, file), join(app, file));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'inherit' });
  }, 30 * 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('installs none of the runtimes the constructs do not need', () => {
    const modules = join(work, 'app', 'node_modules');
    console.log(`consumer node_modules: ${(duBytes(modules) / 1e6).toFixed(0)} MB (${readdirSync(modules).join(', ')})`);
    expect(RUNTIME_ONLY_PACKAGES.filter((name) => existsSync(join(modules, name)))).toEqual([]);
  });

  test('every entry point loads with only the dependencies a consumer installs (the Kubernetes part needs its optional peers)', () => {
    const dist = join(work, 'app', 'node_modules', 'mlops-blueprint', 'dist');
    const entries = ['constructs', 'lib'].flatMap((root) =>
      readdirSync(join(dist, root))
        .filter((domain) => existsSync(join(dist, root, domain, 'index.js')))
        .map((domain) => `mlops-blueprint/${root}/${domain}`),
    );
    const needsOptionalPeers = ['mlops-blueprint/constructs/kubernetes'];
    const failures = entries
      .filter((entry) => !needsOptionalPeers.includes(entry))
      .flatMap((entry) => {
        try {
          execFileSync(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], { cwd: join(work, 'app'), stdio: 'pipe' });
          return [];
        } catch (error) {
          return [`${entry}: ${/Cannot find module '[^']+'/.exec(String((error as { stderr?: Buffer }).stderr))?.[0] ?? String(error)}`];
        }
      });
    expect(entries.length).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });

  test('the app compiles with strict tsc against the declarations and synthesizes with every policy gate on', () => {
    const app = join(work, 'app');
    execFileSync(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { stdio: 'inherit' });
    const { context } = JSON.parse(readFileSync(join(app, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    const outdir = join(app, 'cdk.out');
    // As the CDK CLI runs an app: context and output folder through the environment.
    execFileSync(process.execPath, ['app.js'], {
      cwd: app,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
      stdio: 'inherit',
    });
    const template = JSON.parse(readFileSync(join(outdir, 'RiskModels.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: { Handler?: string } }>;
    };
    const handlers = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Handler === 'index.handler');
    expect(handlers.length).toBeGreaterThanOrEqual(2); // ingestion and promotion, from the prebuilt bundles
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ pluginName: string; violations: unknown[] }>;
    };
    expect(report.pluginReports.map((plugin) => plugin.pluginName).sort()).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard']);
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    const ingestAsset = readdirSync(outdir).find((name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'parquet_wasm_bg.wasm')));
    expect(ingestAsset).toBeDefined();
    expect(readdirSync(join(outdir, ingestAsset!)).filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(statSync(join(outdir, ingestAsset!, 'index.js')).size).toBeLessThan(1.2e6);
  });

  test('the README shows exactly this app', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = /<!-- consumer-app:start -->\n```ts\n([\s\S]*?)```\n<!-- consumer-app:end -->/.exec(readme);
    expect(section?.[1]).toBe(readFileSync(join(APP_DIR, 'app.ts'), 'utf8'));
  });
});
