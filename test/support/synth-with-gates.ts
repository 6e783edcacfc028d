import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, type PlatformStacks } from '../../stacks/platform-app';
import { cdkContext } from './cdk-context';

export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly constructPath: string;
}

export interface GatedSynthResult {
  readonly platform: PlatformStacks;
  /** Findings no acknowledgment covers: must be empty. */
  readonly findings: Finding[];
  readonly synthError?: Error;
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

/** Synthesizes one environment exactly as `cdk synth -c env=NAME` does, with every policy gate on. */
export function synthWithGates(environmentName: string, extend?: (platform: PlatformStacks) => void): GatedSynthResult {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk.out-gates-'));
  try {
    const app = new App({ context: { ...cdkContext(), env: environmentName }, outdir });
    const platform = buildPlatform(app);
    extend?.(platform);
    let synthError: Error | undefined;
    try {
      app.synth();
    } catch (error) {
      synthError = error as Error;
    }
    const reportPath = join(outdir, 'validation-report.json');
    const findings: Finding[] = [];
    if (existsSync(reportPath)) {
      const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport;
      for (const plugin of report.pluginReports) {
        for (const violation of plugin.violations) {
          for (const construct of violation.violatingConstructs) {
            findings.push({ plugin: plugin.pluginName, rule: violation.ruleName, constructPath: construct.constructPath });
          }
        }
      }
    }
    return { platform, findings, synthError };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
