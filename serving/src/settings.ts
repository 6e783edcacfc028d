import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { HttpLimits } from './adapters/http-server';
import { effectiveCpuCount } from './cpu-quota';
import { SettingsError } from './errors';
import { DEFAULT_JSON_LIMITS, type JsonLimits } from './protocol/json-limits';
import type { VersionSelection } from './repository/repository-layout';
import type { ExecutionProvider } from './runtime/execution-providers';

const int = (min: number) => z.coerce.number().int().min(min);

/** Server settings from environment variables; the CLI flags of `npm run serve` override some of them. */
const settingsSchema = z.object({
  MODEL_REPOSITORY: z.string({ error: 'set it to a folder or s3://bucket/prefix' }).min(1),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0).max(65535).default(8080),
  MODEL_POLL_INTERVAL_SECONDS: z.coerce.number().min(0).default(30),
  ORT_INTRA_OP_THREADS: int(1).optional(),
  ORT_INTER_OP_THREADS: int(1).default(1),
  MAX_BODY_BYTES: int(1).default(6 * 1024 * 1024),
  MAX_HEADER_BYTES: int(1024).default(16 * 1024),
  MAX_JSON_DEPTH: int(4).max(1000).default(DEFAULT_JSON_LIMITS.maxDepth),
  MAX_JSON_VALUES: int(1).default(DEFAULT_JSON_LIMITS.maxValues),
  HEADERS_TIMEOUT_MS: int(1).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(1).default(60_000),
  KEEP_ALIVE_TIMEOUT_MS: int(1).default(65_000),
  DRAIN_TIMEOUT_SECONDS: z.coerce.number().min(0).default(25),
  SAGEMAKER_MODEL: z.string().min(1).optional(),
  SERVED_MODELS: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*(,[A-Za-z0-9][A-Za-z0-9_.-]*)*$/, 'a comma-separated list of model names, e.g. churn-classifier,fraud-scorer')
    .optional(),
  SERVED_MODEL_VERSION: z
    .string()
    .regex(/^([0-9]+|none)$/, 'a version number, or none (no version approved yet); needs SERVED_MODELS naming exactly one model')
    .optional(),
  EXECUTION_PROVIDERS: z
    .string()
    .regex(/^(cuda|cpu)(,(cuda|cpu))?$/, 'cuda,cpu (the GPU when there is one), cuda (GPU required) or cpu')
    .default('cpu'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'debug', 'info', 'warn', 'error']).default('INFO'),
});

export interface ServingSettings {
  readonly modelRepository: string;
  readonly host: string;
  readonly port: number;
  readonly pollIntervalMs: number;
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes: number;
  /** Structure limits of a JSON request body, checked before parsing (MAX_JSON_DEPTH, MAX_JSON_VALUES). */
  readonly jsonLimits: JsonLimits;
  readonly headersTimeoutMs: number;
  readonly httpRequestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly drainTimeoutMs: number;
  readonly sagemakerModel?: string;
  /** Models this server loads from the repository; undefined = every model there. */
  readonly servedModels?: readonly string[];
  /** The newest version of each model, or the one version this deployment pinned (`SERVED_MODEL_VERSION`). */
  readonly versionSelection: VersionSelection;
  /** onnxruntime execution providers to try in order, for models whose config.json names none. */
  readonly executionProviders: readonly ExecutionProvider[];
  readonly s3ForcePathStyle: boolean;
  readonly logLevel: string;
}

const CLI_FLAGS = {
  'model-repository': 'MODEL_REPOSITORY',
  host: 'HOST',
  port: 'PORT',
  'poll-interval-seconds': 'MODEL_POLL_INTERVAL_SECONDS',
} as const;

/** The limits the HTTP adapter enforces, as the settings give them. */
export function httpLimitsOf(settings: ServingSettings): HttpLimits {
  return {
    maxBodyBytes: settings.maxBodyBytes,
    maxHeaderBytes: settings.maxHeaderBytes,
    headersTimeoutMs: settings.headersTimeoutMs,
    requestTimeoutMs: settings.httpRequestTimeoutMs,
    keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
  };
}

/** The name a user sets a setting by: `--model-repository / MODEL_REPOSITORY` for one with a flag, else the variable. */
function settingName(variable: string): string {
  const flag = Object.entries(CLI_FLAGS).find(([, name]) => name === variable)?.[0];
  return flag === undefined ? variable : `--${flag} / ${variable}`;
}

/** `serve --help`: every flag and every environment variable the server reads (flags win over variables). */
export function servingHelp(): string {
  const flags = Object.entries(CLI_FLAGS).map(([flag, variable]) => `  --${flag} VALUE`.padEnd(36) + `same as ${variable}`);
  return [
    'Usage:',
    '  npm run serve -- --model-repository DIR|s3://bucket/prefix [--port N] [--host H] [--poll-interval-seconds S]',
    '',
    'Flags:',
    ...flags,
    '  --help'.padEnd(36) + 'print this help and exit',
    '',
    `Environment variables: ${Object.keys(settingsSchema.shape).join(', ')} (each documented in docs/serving.md).`,
  ].join('\n');
}

/** Resolves settings from the environment and CLI flags (flags win); throws SettingsError naming every bad key. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = [], cpus: () => number = effectiveCpuCount): ServingSettings {
  let flags: Record<string, string | undefined>;
  try {
    flags = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.keys(CLI_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      allowPositionals: true,
    }).values;
  } catch (error) {
    throw new SettingsError(
      `${(error as Error).message}; flags: ${Object.keys(CLI_FLAGS)
        .map((f) => `--${f}`)
        .join(', ')}`,
    );
  }
  const merged: Record<string, string | undefined> = { ...env };
  for (const [flag, variable] of Object.entries(CLI_FLAGS)) {
    if (flags[flag] !== undefined) merged[variable] = flags[flag];
  }
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      const value = merged[variable];
      return value === undefined
        ? `${settingName(variable)} is missing: ${issue.message}`
        : `${settingName(variable)}=${JSON.stringify(value)}: ${issue.message}`;
    });
    throw new SettingsError(`invalid serving settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  const servedModels = s.SERVED_MODELS?.split(',');
  if (s.SERVED_MODEL_VERSION !== undefined && servedModels?.length !== 1) {
    throw new SettingsError(
      `invalid serving settings: SERVED_MODEL_VERSION=${JSON.stringify(s.SERVED_MODEL_VERSION)}: pins one model's version, so SERVED_MODELS must name exactly one model (got ${JSON.stringify(s.SERVED_MODELS ?? null)})`,
    );
  }
  const versionSelection: VersionSelection =
    s.SERVED_MODEL_VERSION === undefined
      ? { kind: 'latest' }
      : { kind: 'pinned', model: servedModels![0], version: s.SERVED_MODEL_VERSION === 'none' ? undefined : s.SERVED_MODEL_VERSION };
  return {
    modelRepository: s.MODEL_REPOSITORY,
    host: s.HOST,
    port: s.PORT,
    pollIntervalMs: s.MODEL_POLL_INTERVAL_SECONDS * 1000,
    intraOpThreads: s.ORT_INTRA_OP_THREADS ?? cpus(),
    interOpThreads: s.ORT_INTER_OP_THREADS,
    maxBodyBytes: s.MAX_BODY_BYTES,
    maxHeaderBytes: s.MAX_HEADER_BYTES,
    jsonLimits: { maxDepth: s.MAX_JSON_DEPTH, maxValues: s.MAX_JSON_VALUES },
    headersTimeoutMs: s.HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: s.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: s.KEEP_ALIVE_TIMEOUT_MS,
    drainTimeoutMs: s.DRAIN_TIMEOUT_SECONDS * 1000,
    sagemakerModel: s.SAGEMAKER_MODEL,
    servedModels,
    versionSelection,
    executionProviders: s.EXECUTION_PROVIDERS.split(',') as ExecutionProvider[],
    s3ForcePathStyle: s.S3_FORCE_PATH_STYLE === 'true',
    logLevel: s.LOG_LEVEL.toUpperCase(),
  };
}
