import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { functionCode } from '../../../../constructs/functions/function-code';
import { REPO_ROOT } from '../../../support/cdk-context';

const FIXTURE = path.join(__dirname, 'fixtures', 'worker-handler');
const relative = (file: string) => path.relative(REPO_ROOT, path.join(FIXTURE, file));

/** Binds the code to a function in a fresh app, which runs the bundling, and returns the staged asset folder. */
function stage(code: lambda.Code, outdir: string): string {
  const stack = new Stack(new App({ outdir }), 'Code');
  const fn = new lambda.Function(stack, 'Fn', { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
  const location = (fn.node.defaultChild as lambda.CfnFunction).code as { s3Key: string };
  const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  const asset = assets.find((name) => location.s3Key.startsWith(name.slice('asset.'.length)));
  if (!asset) throw new Error(`no staged asset for ${location.s3Key} in ${assets.join(', ')}`);
  return path.join(outdir, asset);
}

describe('functionCode', () => {
  let outdir: string;
  beforeEach(() => (outdir = mkdtempSync(path.join(tmpdir(), 'cdk.out-code-'))));
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  test('bundles the source at synth: minified index.js that runs, extra entry points and files beside it, no source map in the zip', async () => {
    const asset = stage(
      functionCode({ entry: path.join(FIXTURE, 'handler.ts'), bundledFiles: [relative('greeting.txt')], additionalEntryPoints: [relative('echo-worker.js')] }),
      outdir,
    );
    expect(readdirSync(asset).sort()).toEqual(['echo-worker.js', 'greeting.txt', 'index.js']);
    const bundle = readFileSync(path.join(asset, 'index.js'), 'utf8');
    expect(bundle).not.toContain('Reads a file shipped beside the bundle'); // minified: comments and whitespace gone
    expect(bundle).not.toContain('sourceMappingURL');
    const { handler } = require(path.join(asset, 'index.js')) as { handler: (event: unknown) => Promise<string> };
    await expect(handler({ name: 'ada' })).resolves.toBe('hello, ada');
    await expect(handler({ name: 1 })).rejects.toThrow(/expected string/);
    expect(require(path.join(asset, 'echo-worker.js'))).toBe('worker');
  });

  test('uses the prebuilt bundle (lambda-bundles/<fn>/) when the entry lambdas/<fn>/handler.ts is absent (an installed package)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'prebuilt-'));
    try {
      mkdirSync(path.join(root, 'lambda-bundles', 'fn'), { recursive: true });
      writeFileSync(path.join(root, 'lambda-bundles', 'fn', 'index.js'), 'exports.handler = async () => "prebuilt";');
      // tsc's compiled modules of the handler's folder (e.g. its metric names) stay out of the zip.
      mkdirSync(path.join(root, 'lambdas', 'fn'), { recursive: true });
      writeFileSync(path.join(root, 'lambdas', 'fn', 'fn-metric-names.js'), 'exports.NAMES = {};');
      const asset = stage(functionCode({ entry: path.join(root, 'lambdas', 'fn', 'handler.ts') }), outdir);
      expect(readdirSync(asset)).toEqual(['index.js']);
      expect(readFileSync(path.join(asset, 'index.js'), 'utf8')).toContain('"prebuilt"');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('names the entry and the bundle it looked for when neither exists', () => {
    expect(() => functionCode({ entry: '/nowhere/lambdas/fn/handler.ts' })).toThrow(
      'PlatformFunction: entry /nowhere/lambdas/fn/handler.ts does not exist, and there is no prebuilt bundle (/nowhere/lambda-bundles/fn/index.js)',
    );
  });
});
