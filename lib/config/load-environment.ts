import { undecidableModels } from '../decision/decide-environment';
import { ConfigError } from './errors';
import { formatIssues, formatPath, modelNote } from './format-issues';
import { environmentSchema, type EnvironmentConfig } from './schema';

export const DEFAULT_ENVIRONMENT = 'dev';

export interface ResolvedEnvironment {
  readonly name: string;
  readonly config: EnvironmentConfig;
}

/**
 * Picks one environment out of the `environments` context and validates it.
 * Throws a ConfigError whose message lists every problem at once, one per line.
 */
export function loadEnvironment(environments: unknown, requestedName: string | undefined): ResolvedEnvironment {
  const name = requestedName ?? DEFAULT_ENVIRONMENT;
  if (environments === null || typeof environments !== 'object' || Array.isArray(environments)) {
    throw new ConfigError(`environments: got ${JSON.stringify(environments)}; expected an object of named environments in cdk.json context`);
  }
  const known = Object.keys(environments);
  if (!Object.prototype.hasOwnProperty.call(environments, name)) {
    throw new ConfigError(`Unknown environment '${name}' (-c env=${name}); known environments: ${known.join(', ')}`);
  }
  const raw = (environments as Record<string, unknown>)[name];
  const parsed = environmentSchema.safeParse(raw);
  const problems = parsed.success
    ? // Each figure is valid and consistent, yet no serving target may fit the whole profile (e.g. 200,000 MB of memory).
      undecidableModels(parsed.data).map(
        ({ index, key, reason }) => `${formatPath(['environments', name, 'models', index, key])}${modelNote(['models', index], raw)}: ${reason}`,
      )
    : formatIssues(parsed.error.issues, raw, ['environments', name]);
  if (problems.length > 0 || !parsed.success) {
    const heading = `Invalid configuration for environment '${name}' (${problems.length} problem${problems.length === 1 ? '' : 's'}):`;
    throw new ConfigError([heading, ...problems.map((p) => `  - ${p}`)].join('\n'), problems);
  }
  return { name, config: parsed.data };
}
