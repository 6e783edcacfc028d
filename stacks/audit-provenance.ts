import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Provenance } from '../lib/audit';

const TOOLS = ['aws-cdk-lib', 'constructs', 'cdk-nag', '@cdklabs/cdk-validator-cfnguard', 'cdktf', '@cdktf/provider-kubernetes'] as const;

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted at every level, so the same config always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What produced a report: commit, dirty tree, the environment config's hash, tool versions and the time. */
export function collectProvenance(repositoryRoot: string, environmentConfig: unknown, generatedAt: Date): Provenance {
  const tools: Record<string, string> = { node: process.version };
  for (const tool of TOOLS) {
    try {
      tools[tool] = (JSON.parse(readFileSync(require.resolve(`${tool}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      tools[tool] = 'not installed';
    }
  }
  const status = git(['status', '--porcelain'], repositoryRoot);
  return {
    commit: git(['rev-parse', 'HEAD'], repositoryRoot) ?? 'unknown',
    dirty: status === undefined ? true : status.length > 0,
    configSha256: createHash('sha256').update(canonicalJson(environmentConfig)).digest('hex'),
    tools,
    generatedAt: generatedAt.toISOString(),
  };
}
