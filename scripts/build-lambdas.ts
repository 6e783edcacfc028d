/**
 * `npm run build:lambdas`: bundles every platform handler (`lambdas/<fn>/handler.ts`) into `dist/lambda-bundles/<fn>/` — the
 * prebuilt code an installed package deploys — with source maps in `dist/lambda-source-maps/<fn>/` (outside the zip),
 * and prints each bundle's size.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleLambda } from '../constructs/functions/bundle-lambda.mjs';
import { LAMBDA_EXTRAS } from '../constructs/functions/lambda-extras';

const ROOT = join(__dirname, '..');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function main(): Promise<void> {
  const names = readdirSync(join(ROOT, 'lambdas')).filter((name) => existsSync(join(ROOT, 'lambdas', name, 'handler.ts')));
  rmSync(join(ROOT, 'dist', 'lambda-bundles'), { recursive: true, force: true });
  rmSync(join(ROOT, 'dist', 'lambda-source-maps'), { recursive: true, force: true });
  console.log('function'.padEnd(24), 'file'.padEnd(28), 'size'.padStart(9), '  source map (not deployed)');
  for (const name of names) {
    const outdir = join(ROOT, 'dist', 'lambda-bundles', name);
    const sourceMapDir = join(ROOT, 'dist', 'lambda-source-maps', name);
    const files = await bundleLambda({ entry: join(ROOT, 'lambdas', name, 'handler.ts'), projectRoot: ROOT, outdir, sourceMapDir, ...LAMBDA_EXTRAS[name] });
    for (const file of files) {
      const map = join(sourceMapDir, `${file}.map`);
      console.log(name.padEnd(24), file.padEnd(28), kb(statSync(join(outdir, file)).size).padStart(9), existsSync(map) ? ` ${kb(statSync(map).size)}` : '');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
