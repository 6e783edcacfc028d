import { readFileSync } from 'node:fs';

/** The `context` block of a cdk.json (the environments are its `environments` key); `{}` when there is none. */
export function readCdkJsonContext(cdkJsonPath: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(cdkJsonPath, 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}
