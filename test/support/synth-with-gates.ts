import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthWithGates as synthInto, type GatedSynthResult } from '../../stacks/gated-synth';
import type { PlatformStacks } from '../../stacks/platform-app';
import { cdkContext } from './cdk-context';

export type { Finding, GatedSynthResult } from '../../stacks/gated-synth';

/** Synthesizes one environment with every gate on, as `cdk synth -c env=NAME` does, in a temp dir removed afterwards. */
export function synthWithGates(environmentName: string, extend?: (platform: PlatformStacks) => void): GatedSynthResult {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk.out-gates-'));
  try {
    return synthInto(cdkContext(), environmentName, outdir, extend);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
