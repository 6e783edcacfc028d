import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** What to bundle for one function: its handler module and what it loads at run time beside it. */
export interface FunctionBundleSpec {
  /** Path of the handler module; the function's handler is `index.handler`. */
  readonly entry: string;
  /** Files copied beside the bundle, relative to the project root (the nearest folder above `entry` with a package.json). */
  readonly bundledFiles?: readonly string[];
  /** Further entry points bundled to `<name>.js` beside `index.js`, relative to the project root. */
  readonly additionalEntryPoints?: readonly string[];
}

/** The one bundler (plain JavaScript, beside this module in the source tree and in dist/). */
const BUNDLER = path.join(__dirname, 'bundle-lambda.mjs');

/**
 * Where `npm run build` puts the prebuilt bundle of the handler `<root>/lambdas/<fn>/handler.ts`:
 * `<root>/lambda-bundles/<fn>/` (in dist/, beside the compiled `lambdas/` modules the constructs import, e.g. metric names).
 */
export function prebuiltBundleFolder(entry: string): string {
  const handlerFolder = path.dirname(entry);
  return path.join(path.dirname(path.dirname(handlerFolder)), 'lambda-bundles', path.basename(handlerFolder));
}

/**
 * The code of a platform function, from one of two places:
 * - the handler's source, bundled at synth with esbuild (this repository, or a consumer's own handler);
 * - without the source (an installed package), the prebuilt bundle `npm run build` wrote (`prebuiltBundleFolder`), so
 *   an installed package synthesizes without a TypeScript toolchain or esbuild.
 */
export function functionCode(spec: FunctionBundleSpec): lambda.Code {
  const folder = path.dirname(spec.entry);
  if (!existsSync(spec.entry)) {
    const prebuilt = prebuiltBundleFolder(spec.entry);
    if (existsSync(path.join(prebuilt, 'index.js'))) return lambda.Code.fromAsset(prebuilt);
    throw new Error(`PlatformFunction: entry ${spec.entry} does not exist, and there is no prebuilt bundle (${path.join(prebuilt, 'index.js')})`);
  }
  const projectRoot = projectRootOf(spec.entry);
  return lambda.Code.fromAsset(folder, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API; never used: local bundling always succeeds or throws.
      image: lambda.Runtime.NODEJS_24_X.bundlingImage,
      local: {
        tryBundle(outdir) {
          execFileSync(process.execPath, [BUNDLER, JSON.stringify({ ...spec, projectRoot, outdir })], { stdio: ['ignore', 'inherit', 'inherit'] });
          return true;
        },
      },
    },
  });
}

function projectRootOf(entry: string): string {
  for (let dir = path.dirname(path.resolve(entry)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`PlatformFunction: no package.json above ${entry}`);
  }
}
