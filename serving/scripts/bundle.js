'use strict';
// Bundles the two entry points (HTTP server and Lambda handler) into `<outdir>/main.js`
// and `<outdir>/lambda.js`, and the session worker (loaded by path) into `<outdir>/session-worker.js` beside them. onnxruntime-node stays
// external: it is a native addon and ships in node_modules. Used by the Dockerfile and
// by the test that runs the bundle under node.
const { mkdirSync } = require('node:fs');
const { join, resolve } = require('node:path');
const esbuild = require('esbuild');

const SRC = resolve(__dirname, '..', 'src');

async function bundle(outdir) {
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { main: join(SRC, 'main.ts'), lambda: join(SRC, 'lambda.ts'), 'session-worker': join(SRC, 'runtime', 'session-worker.js') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['onnxruntime-node'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

module.exports = { bundle };

if (require.main === module) {
  bundle(resolve(process.argv[2] ?? 'dist')).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
