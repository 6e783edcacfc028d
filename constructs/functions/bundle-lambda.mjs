// Bundles one Lambda handler with esbuild: the one bundling of every platform function, used by `npm run build`
// (prebuilt bundles in dist/lambda-bundles/) and by PlatformFunction when it bundles a handler's source at synth.
// Plain JavaScript so that an installed package runs it without a TypeScript toolchain.
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Options every bundle is built with: minified, Node 24 (the Lambda runtime), CommonJS, ES module builds of dependencies. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  // ES module builds tree-shake far better (the AWS SDK clients, Powertools).
  mainFields: ['module', 'main'],
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * zod registers English messages itself; its other locales (about 260 KB minified) are reachable only through
 * `z.locales`, which no platform code calls. Resolve zod's locale index to English only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-en' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Bundles `entry` to `<outdir>/index.js`, each additional entry point to `<outdir>/<name>.js`, and copies the bundled
 * files beside them. Source maps go to `sourceMapDir` (never into `outdir`, which becomes the Lambda zip), or nowhere.
 * @param {{ entry: string, projectRoot: string, outdir: string, sourceMapDir?: string,
 *           bundledFiles?: readonly string[], additionalEntryPoints?: readonly string[] }} spec
 * @returns {Promise<string[]>} the files written to outdir
 */
export async function bundleLambda(spec) {
  const esbuild = await import('esbuild');
  const outputs = [
    { entry: spec.entry, name: 'index' },
    ...(spec.additionalEntryPoints ?? []).map((file) => ({ entry: join(spec.projectRoot, file), name: basename(file).replace(/\.[cm]?[jt]s$/, '') })),
  ];
  mkdirSync(spec.outdir, { recursive: true });
  const written = [];
  for (const { entry, name } of outputs) {
    const outfile = join(spec.outdir, `${name}.js`);
    await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: [entry], outfile, plugins: [zodEnglishOnly] });
    if (spec.sourceMapDir) {
      mkdirSync(spec.sourceMapDir, { recursive: true });
      renameSync(`${outfile}.map`, join(spec.sourceMapDir, `${name}.js.map`));
    } else {
      rmSync(`${outfile}.map`);
    }
    written.push(`${name}.js`);
  }
  for (const file of spec.bundledFiles ?? []) {
    copyFileSync(join(spec.projectRoot, file), join(spec.outdir, basename(file)));
    written.push(basename(file));
  }
  return written;
}

// `node bundle-lambda.mjs '<spec as JSON>'`: how PlatformFunction bundles at synth (CDK's local bundling is synchronous).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  bundleLambda(JSON.parse(process.argv[2])).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
