import { App, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConstruct } from 'constructs';
import { isPlatformAcknowledgment } from '../constructs/shared/acknowledge';
import { buildPlatform, type PlatformStacks } from './platform-app';

export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly constructPath: string;
}

export interface Acknowledgment {
  readonly construct: IConstruct;
  readonly ruleId: string;
  readonly reason: string;
  /** `platform`: made by this repository with `acknowledgeFinding`; `aws-cdk-lib`: built into CDK's own constructs. */
  readonly source: 'platform' | 'aws-cdk-lib';
}

export interface GatedSynthResult {
  readonly platform: PlatformStacks;
  /** Plugins that ran, each with the findings no acknowledgment covers (must be none). */
  readonly plugins: readonly string[];
  readonly findings: readonly Finding[];
  readonly acknowledgments: readonly Acknowledgment[];
  /** The synthesized template of each stack, by stack name (empty when synthesis failed). */
  readonly templates: Readonly<Record<string, unknown>>;
  readonly synthError?: Error;
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

/** Every acknowledgment recorded with `Validations.of(x).acknowledge()` under the given stacks. */
export function acknowledgmentsIn(stacks: readonly Stack[]): Acknowledgment[] {
  return stacks.flatMap((stack) =>
    stack.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([ruleId, reason]) => ({
            construct,
            ruleId,
            reason,
            source: isPlatformAcknowledgment(construct, ruleId) ? ('platform' as const) : ('aws-cdk-lib' as const),
          })),
        ),
    ),
  );
}

/**
 * Synthesizes one environment exactly as `cdk synth -c env=NAME` does, with every policy gate on, into `outdir`,
 * and reads the gates' validation report. Synthesis errors are returned, not thrown, so callers can report them.
 */
export function synthWithGates(
  context: Record<string, unknown>,
  environmentName: string,
  outdir: string,
  extend?: (platform: PlatformStacks) => void,
): GatedSynthResult {
  const app = new App({ context: { ...context, env: environmentName }, outdir });
  const platform = buildPlatform(app);
  extend?.(platform);
  const templates: Record<string, unknown> = {};
  let synthError: Error | undefined;
  try {
    const assembly: CloudAssembly = app.synth();
    for (const stack of assembly.stacks) templates[stack.stackName] = stack.template;
  } catch (error) {
    synthError = error as Error;
  }
  const reportPath = join(outdir, 'validation-report.json');
  const findings: Finding[] = [];
  const plugins: string[] = [];
  if (existsSync(reportPath)) {
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport;
    for (const plugin of report.pluginReports) {
      plugins.push(plugin.pluginName);
      for (const violation of plugin.violations) {
        for (const construct of violation.violatingConstructs) {
          findings.push({ plugin: plugin.pluginName, rule: violation.ruleName, constructPath: construct.constructPath });
        }
      }
    }
  }
  return { platform, plugins, findings, acknowledgments: acknowledgmentsIn(platform.allStacks), templates, synthError };
}

export function isCfnResource(construct: IConstruct): construct is CfnResource {
  return (construct as { cfnResourceType?: string }).cfnResourceType !== undefined;
}
