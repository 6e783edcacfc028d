/**
 * `npm run build`: the installable construct library in `dist/` — JavaScript and declarations of `constructs/`, `lib/`
 * and the policy gates (tsconfig.build.json), the bundler PlatformFunction runs for a consumer's own handlers, the
 * serving image's build context, and every platform Lambda prebuilt (scripts/build-lambdas.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');

/** What serving/.dockerignore lets into the image build, and the Dockerfiles: the build context of `createServingImage`. */
const SERVING_IMAGE_CONTEXT = [
  ...readdirSync(join(ROOT, 'serving')).filter((name) => name.startsWith('Dockerfile')),
  '.dockerignore',
  'package.json',
  'package-lock.json',
  'scripts',
  'src',
];

const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: ROOT, stdio: 'inherit' });

rmSync(DIST, { recursive: true, force: true });
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
cpSync(join(ROOT, 'constructs', 'functions', 'bundle-lambda.mjs'), join(DIST, 'constructs', 'functions', 'bundle-lambda.mjs'));
for (const entry of SERVING_IMAGE_CONTEXT) cpSync(join(ROOT, 'serving', entry), join(DIST, 'serving', entry), { recursive: true });
run(process.execPath, [require.resolve('tsx/cli'), join('scripts', 'build-lambdas.ts')]);
