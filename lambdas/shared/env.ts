/** Raised at init when a function is deployed without the configuration it needs. */
export class MissingEnvironmentVariableError extends Error {
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is required but not set`);
    this.name = 'MissingEnvironmentVariableError';
  }
}

/** Reads a required environment variable; call at module scope so a misconfiguration fails at init, not per event. */
export function requireEnv(variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  if (value === undefined || value === '') throw new MissingEnvironmentVariableError(variable);
  return value;
}
