import { z } from 'zod';
import { SettingsError } from '../errors';

/**
 * Inference capture settings, from environment variables the serving constructs set per deployment.
 * The environment variable names are exported so the constructs set exactly these.
 */
export const CAPTURE_ENV = {
  /** `0.05` (every model) or `churn-classifier=0.05,fraud-scorer=0.01`; 0 or unset: capture off. */
  sampleFraction: 'CAPTURE_SAMPLE_FRACTION',
  /** `s3://<silver bucket>` (an optional prefix is kept before `inference-capture/`) or a local folder (tests, local runs). */
  destination: 'CAPTURE_DESTINATION',
  /** Seconds between flushes of a partly filled buffer. */
  flushIntervalSeconds: 'CAPTURE_FLUSH_INTERVAL_SECONDS',
  /** Buffered bytes that trigger a flush before the interval is up. */
  flushBytes: 'CAPTURE_FLUSH_BYTES',
  /** Most bytes held in memory (buffered + being uploaded); beyond, records are dropped and counted. */
  maxBufferBytes: 'CAPTURE_MAX_BUFFER_BYTES',
} as const;

export interface CaptureSettings {
  /** Fraction per model; `default` applies to models not listed. */
  readonly fractions: ReadonlyMap<string, number>;
  readonly defaultFraction: number;
  readonly destination?: string;
  readonly flushIntervalMs: number;
  readonly flushBytes: number;
  readonly maxBufferBytes: number;
}

const fraction = z.coerce.number().min(0).max(1);
const schema = z.object({
  [CAPTURE_ENV.sampleFraction]: z.string().optional(),
  [CAPTURE_ENV.destination]: z.string().min(1).optional(),
  [CAPTURE_ENV.flushIntervalSeconds]: z.coerce.number().positive().max(3600).default(60),
  [CAPTURE_ENV.flushBytes]: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  [CAPTURE_ENV.maxBufferBytes]: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
});

/** Parses the capture settings; throws SettingsError naming the variable, its value and what is allowed. */
export function loadCaptureSettings(env: NodeJS.ProcessEnv = process.env): CaptureSettings {
  const present = Object.fromEntries(Object.values(CAPTURE_ENV).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new SettingsError(`invalid capture settings: ${name}=${JSON.stringify(present[name])}: ${issue.message}`);
  }
  const s = parsed.data;
  const { fractions, defaultFraction } = parseFractions(s[CAPTURE_ENV.sampleFraction]);
  const anyCapture = defaultFraction > 0 || [...fractions.values()].some((f) => f > 0);
  if (anyCapture && s[CAPTURE_ENV.destination] === undefined) {
    throw new SettingsError(
      `invalid capture settings: ${CAPTURE_ENV.sampleFraction} is set but ${CAPTURE_ENV.destination} is not; give s3://<bucket> or a folder`,
    );
  }
  return {
    fractions,
    defaultFraction,
    destination: s[CAPTURE_ENV.destination],
    flushIntervalMs: s[CAPTURE_ENV.flushIntervalSeconds] * 1000,
    flushBytes: s[CAPTURE_ENV.flushBytes],
    maxBufferBytes: Math.max(s[CAPTURE_ENV.maxBufferBytes], s[CAPTURE_ENV.flushBytes]),
  };
}

function parseFractions(raw: string | undefined): { fractions: Map<string, number>; defaultFraction: number } {
  const fractions = new Map<string, number>();
  if (raw === undefined) return { fractions, defaultFraction: 0 };
  const allowed = `a fraction from 0 to 1 ('0.05') or model=fraction pairs ('churn-classifier=0.05,fraud-scorer=0.01')`;
  if (!raw.includes('=')) {
    const value = fraction.safeParse(raw);
    if (!value.success || raw.trim() === '')
      throw new SettingsError(`invalid capture settings: ${CAPTURE_ENV.sampleFraction}=${JSON.stringify(raw)}: ${allowed}`);
    return { fractions, defaultFraction: value.data };
  }
  for (const pair of raw.split(',')) {
    const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(pair.trim());
    const value = match === null ? undefined : fraction.safeParse(match[2]);
    if (match === null || !value?.success)
      throw new SettingsError(`invalid capture settings: ${CAPTURE_ENV.sampleFraction}=${JSON.stringify(raw)}: ${allowed}`);
    fractions.set(match[1], value.data);
  }
  return { fractions, defaultFraction: 0 };
}
