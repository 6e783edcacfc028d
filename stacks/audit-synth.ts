import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditInput, TerraformDocument } from '../lib/audit';
import { auditInputFrom } from './audit-input';
import { readCdkJsonContext } from './cdk-json-context';
import { collectProvenance } from './audit-provenance';
import { synthWithGates } from './gated-synth';
import { synthKubernetes } from './k8s-app';

export interface AuditSynthOptions {
  readonly repositoryRoot: string;
  readonly cdkJsonPath: string;
  readonly environmentName: string;
  readonly now: Date;
}

/**
 * Synthesizes one environment for the audit exactly as the deploy does — the CDK app with every policy gate on and the
 * cdktf app of its Kubernetes objects — in temporary folders, and returns the report's input.
 */
export function synthesizeForAudit(options: AuditSynthOptions): { input: AuditInput; synthError?: Error; unacknowledged: number } {
  const context = readCdkJsonContext(options.cdkJsonPath);
  const cdkOut = mkdtempSync(join(tmpdir(), 'cdk.out-audit-'));
  const cdktfOut = mkdtempSync(join(tmpdir(), 'cdktf.outdir-audit-'));
  try {
    const result = synthWithGates(context, options.environmentName, cdkOut);
    const { stackName } = synthKubernetes({ environment: options.environmentName, outdir: cdktfOut, cdkJsonPath: options.cdkJsonPath, ingressCidrs: [] });
    const document = JSON.parse(readFileSync(join(cdktfOut, 'stacks', stackName, 'cdk.tf.json'), 'utf8')) as TerraformDocument['document'];
    const rawConfig = (context.environments as Record<string, unknown>)[options.environmentName];
    const provenance = collectProvenance(options.repositoryRoot, rawConfig, options.now);
    return { input: auditInputFrom(result, provenance, { stackName, document }), synthError: result.synthError, unacknowledged: result.findings.length };
  } finally {
    rmSync(cdkOut, { recursive: true, force: true });
    rmSync(cdktfOut, { recursive: true, force: true });
  }
}
