import type { FunctionBundleSpec } from './function-code';

export declare const BUNDLE_OPTIONS: Readonly<Record<string, unknown>>;

/** See bundle-lambda.mjs. */
export declare function bundleLambda(
  spec: FunctionBundleSpec & { readonly projectRoot: string; readonly outdir: string; readonly sourceMapDir?: string },
): Promise<string[]>;
