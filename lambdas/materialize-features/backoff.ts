/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export interface BackoffOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injected for tests. @default - Math.random */
  readonly random?: () => number;
  /** Injected for tests. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BACKOFF: BackoffOptions = { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 5000 };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `retry` (1 for the first retry): uniform in [0, min(max, base·2^(retry-1))]. */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/**
 * Calls `operation` until it succeeds, a non-retryable error is thrown, or attempts run out (then the last error
 * is thrown). `onRetry` hears about every retry before its delay.
 */
export async function retryWithBackoff<T>(
  operation: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  options: BackoffOptions,
  onRetry: (error: unknown, retry: number, delayMs: number) => void = () => undefined,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= options.maxAttempts || !isRetryable(error)) throw error;
      const delayMs = backoffDelayMs(attempt, options);
      onRetry(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
