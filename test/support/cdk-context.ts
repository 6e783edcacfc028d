import { join } from 'node:path';
import { readCdkJsonContext } from '../../stacks/cdk-json-context';

export const REPO_ROOT = join(__dirname, '..', '..');

/** The `context` block of the real cdk.json, so tests synthesize what users synthesize. */
export function cdkContext(): Record<string, unknown> {
  return readCdkJsonContext(join(REPO_ROOT, 'cdk.json'));
}

/** The same context with CloudFormation schema validation off: for fast unit tests of single constructs. */
export function fastCdkContext(): Record<string, unknown> {
  return { ...cdkContext(), '@aws-cdk/core:validateAgainstDefaultRules': false };
}

export function environmentNames(): string[] {
  return Object.keys(cdkContext().environments as Record<string, unknown>);
}
