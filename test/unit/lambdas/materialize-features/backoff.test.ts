import fc from 'fast-check';
import { backoffDelayMs, retryWithBackoff, type BackoffOptions } from '../../../../lambdas/materialize-features/backoff';

function options(overrides: Partial<BackoffOptions> = {}) {
  const sleeps: number[] = [];
  return {
    sleeps,
    options: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5, sleep: async (ms: number) => void sleeps.push(ms), ...overrides },
  };
}

const retryable = (error: unknown) => (error as Error).message === 'throttled';

describe('backoffDelayMs', () => {
  it('stays within [0, min(max, base·2^(retry-1))] whatever the jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (retry, jitter) => {
        const delay = backoffDelayMs(retry, { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 5000, random: () => jitter });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(5000, 50 * 2 ** (retry - 1)));
      }),
    );
  });

  it('doubles its ceiling each retry until the cap', () => {
    const full = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, full))).toEqual([99, 199, 399, 799, 999]);
  });
});

describe('retryWithBackoff', () => {
  it('retries retryable errors with growing delays, then returns the result', async () => {
    const { sleeps, options: opts } = options();
    let calls = 0;
    const retries: number[] = [];
    const result = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw new Error('throttled');
        return 'ok';
      },
      retryable,
      opts,
      (_error, retry) => retries.push(retry),
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(sleeps).toEqual([50, 100]);
  });

  it('throws a non-retryable error at once', async () => {
    const { sleeps, options: opts } = options();
    await expect(retryWithBackoff(() => Promise.reject(new Error('invalid')), retryable, opts)).rejects.toThrow('invalid');
    expect(sleeps).toEqual([]);
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    const { sleeps, options: opts } = options();
    let calls = 0;
    await expect(
      retryWithBackoff(
        () => {
          calls++;
          return Promise.reject(new Error('throttled'));
        },
        retryable,
        opts,
      ),
    ).rejects.toThrow('throttled');
    expect(calls).toBe(4);
    expect(sleeps).toHaveLength(3);
  });
});
