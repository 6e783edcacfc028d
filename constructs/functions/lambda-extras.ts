import type { FunctionBundleSpec } from './function-code';

/**
 * What a platform handler in `lambdas/<fn>/` loads at run time besides its own bundle, by folder name: the one list
 * the prebuilt bundles (`npm run build`) and the constructs that deploy the function both read.
 */
export const LAMBDA_EXTRAS: Readonly<Record<string, Pick<FunctionBundleSpec, 'bundledFiles' | 'additionalEntryPoints'>>> = {
  ingest: {
    // parquet-wasm reads its WebAssembly module from the bundle's folder at load time.
    bundledFiles: ['node_modules/parquet-wasm/node/parquet_wasm_bg.wasm'],
    // The Parquet encoder runs in a worker thread started from the bundle's folder.
    additionalEntryPoints: ['lambdas/ingest/parquet-encoder-worker.js'],
  },
};
