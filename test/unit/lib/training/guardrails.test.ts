import fc from 'fast-check';
import {
  checkConcurrency,
  checkGpuHourCap,
  checkGuardrails,
  gpuHoursUsed,
  RUN_ID_PATTERN,
  runIdentity,
  startOfMonthUtc,
  trainingJobName,
  type GuardrailInputs,
  type TrainingTrigger,
} from '../../../../lib/training';

const inputs: GuardrailInputs = {
  model: 'churn-classifier',
  runningExecutions: 0,
  maxConcurrentRuns: 1,
  gpuHoursUsedThisMonth: 10,
  gpuHoursPerRun: 2,
  monthlyGpuHourCap: 20,
};

describe('concurrency', () => {
  test('refuses at maxConcurrentRuns with a reason naming the limit and where it is set', () => {
    expect(checkConcurrency({ ...inputs, runningExecutions: 1 })).toEqual({
      allowed: false,
      limit: 'concurrency',
      reason: 'concurrency limit: 1 run(s) of churn-classifier already running, maxConcurrentRuns is 1 (training.models[].maxConcurrentRuns)',
    });
  });

  test('property: allowed exactly while fewer than the limit run', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.integer({ min: 1, max: 20 }), (running, max) => {
        expect(checkConcurrency({ model: 'm', runningExecutions: running, maxConcurrentRuns: max }).allowed).toBe(running < max);
      }),
    );
  });
});

describe('monthly GPU-hour cap', () => {
  test('counts the next run at its worst case: 19 used + 2 per run > 20 is refused, with the figures', () => {
    expect(checkGpuHourCap({ ...inputs, gpuHoursUsedThisMonth: 19 })).toEqual({
      allowed: false,
      limit: 'monthly-gpu-hours',
      reason:
        'monthly GPU-hour cap: churn-classifier used 19 GPU instance-hours this month and one more run may use 2, over monthlyGpuHourCap 20 (training.models[].monthlyGpuHourCap)',
    });
    expect(checkGpuHourCap({ ...inputs, gpuHoursUsedThisMonth: 18 }).allowed).toBe(true);
  });

  test('property: whatever is allowed keeps the month within the cap, even if the run uses its whole budget', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        (used, perRun, cap) => {
          const decision = checkGpuHourCap({ model: 'm', gpuHoursUsedThisMonth: used, gpuHoursPerRun: perRun, monthlyGpuHourCap: cap });
          if (decision.allowed) expect(used + perRun).toBeLessThanOrEqual(cap);
          else expect(decision.reason).toContain(`monthlyGpuHourCap ${cap}`);
        },
      ),
    );
  });

  test('concurrency is checked first', () => {
    expect(checkGuardrails({ ...inputs, runningExecutions: 1, gpuHoursUsedThisMonth: 100 })).toMatchObject({ allowed: false, limit: 'concurrency' });
    expect(checkGuardrails({ ...inputs, gpuHoursUsedThisMonth: 100 })).toMatchObject({ allowed: false, limit: 'monthly-gpu-hours' });
    expect(checkGuardrails(inputs)).toEqual({ allowed: true });
  });
});

describe('GPU hours used', () => {
  const now = new Date('2026-11-20T12:00:00Z');

  test('billable seconds × instance count; a running job counts from its start until now', () => {
    const hours = gpuHoursUsed(
      [
        { instanceCount: 2, billableTimeInSeconds: 1800 }, // spot: billed half an hour on two instances
        { instanceCount: 1, trainingStartTime: new Date('2026-11-20T11:00:00Z') }, // running for an hour
        { instanceCount: 4 }, // waiting for capacity: nothing yet
      ],
      now,
    );
    expect(hours).toBe(2);
  });

  test('the month starts at midnight UTC on the first', () => {
    expect(startOfMonthUtc(new Date('2026-03-01T00:30:00+02:00')).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(startOfMonthUtc(now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  test('property: additive over jobs and never negative', () => {
    const job = fc.record({ instanceCount: fc.integer({ min: 1, max: 64 }), billableTimeInSeconds: fc.option(fc.nat(10 ** 7), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(job), fc.array(job), (a, b) => {
        expect(gpuHoursUsed([...a, ...b], now)).toBeCloseTo(gpuHoursUsed(a, now) + gpuHoursUsed(b, now), 6);
        expect(gpuHoursUsed(a, now)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('run identity (duplicates)', () => {
  const trigger = fc.oneof(
    fc.record({ kind: fc.constant('schedule' as const), scheduledTime: fc.string({ minLength: 1, maxLength: 40 }) }),
    fc.record({ kind: fc.constant('drift' as const), detectionId: fc.string({ minLength: 1, maxLength: 80 }) }),
    fc.record({ kind: fc.constant('manual' as const), requestId: fc.string({ minLength: 1, maxLength: 200 }) }),
  ) as fc.Arbitrary<TrainingTrigger>;

  test('a scheduled event has a readable, deterministic execution name', () => {
    const identity = runIdentity('dev', 'churn-classifier', { kind: 'schedule', scheduledTime: '2026-11-30T03:00:00Z' });
    expect(identity.executionName).toMatch(/^schedule-2026-11-30T03-00-00Z-[0-9a-f]{10}$/);
    expect(identity.runId).toMatch(RUN_ID_PATTERN);
    expect(runIdentity('dev', 'churn-classifier', { kind: 'schedule', scheduledTime: '2026-11-30T03:00:00Z' })).toEqual(identity);
  });

  test('property: the same trigger always names the same run; names are valid for Step Functions and SageMaker', () => {
    fc.assert(
      fc.property(trigger, (t) => {
        const identity = runIdentity('dev', 'a-model-name-of-forty-characters-exactly', t);
        expect(runIdentity('dev', 'a-model-name-of-forty-characters-exactly', structuredClone(t))).toEqual(identity);
        expect(identity.executionName).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        expect(identity.runId).toMatch(RUN_ID_PATTERN);
        expect(trainingJobName('a-model-name-of-forty-characters-exactly', identity.runId, 9)).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
      }),
    );
  });

  test('property: different triggers, models or environments name different runs', () => {
    fc.assert(
      fc.property(trigger, trigger, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(runIdentity('dev', 'm', a).executionName).not.toBe(runIdentity('dev', 'm', b).executionName);
      }),
    );
    const t: TrainingTrigger = { kind: 'manual', requestId: 'r1' };
    expect(runIdentity('dev', 'm', t).runId).not.toBe(runIdentity('staging', 'm', t).runId);
    expect(runIdentity('dev', 'm', t).runId).not.toBe(runIdentity('dev', 'n', t).runId);
  });
});
