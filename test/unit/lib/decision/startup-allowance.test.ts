import fc from 'fast-check';
import { startupAllowanceSeconds } from '../../../../lib/decision';

describe('startupAllowanceSeconds', () => {
  it('30 s + 1 s per 25 MiB, rounded up to 10 s (worked examples)', () => {
    expect(startupAllowanceSeconds(512)).toBe(60); // 30 + 20.5
    expect(startupAllowanceSeconds(2048)).toBe(120); // 30 + 81.9
    expect(startupAllowanceSeconds(8192)).toBe(360); // 30 + 327.7
  });

  it('grows with memory and never undercuts the rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120_000 }), fc.integer({ min: 0, max: 10_000 }), (memory, more) => {
        const seconds = startupAllowanceSeconds(memory);
        expect(seconds % 10).toBe(0);
        expect(seconds).toBeGreaterThanOrEqual(30 + memory / 25);
        expect(seconds - 10).toBeLessThan(30 + memory / 25);
        expect(startupAllowanceSeconds(memory + more)).toBeGreaterThanOrEqual(seconds);
      }),
    );
  });

  it('refuses a memory that is not a positive number', () => {
    expect(() => startupAllowanceSeconds(0)).toThrow(/containerMemoryMiB must be a positive number, got 0/);
  });
});
