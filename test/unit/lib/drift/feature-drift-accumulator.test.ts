import fc from 'fast-check';
import { buildFeatureBaseline, FeatureDriftAccumulator, populationStabilityIndex, type BaselineFeature } from '../../../../lib/drift';
import reference from './ks-reference-values.json';

function baselineOf(values: readonly number[], options: { bins?: number; sampleSize?: number } = {}): BaselineFeature {
  return buildFeatureBaseline({ name: 'x', column: 0, values }, options);
}

function driftOf(baseline: BaselineFeature, captured: readonly number[]) {
  const accumulator = new FeatureDriftAccumulator(baseline);
  accumulator.add(captured);
  return accumulator.result();
}

describe('KS statistic D against scipy ks_2samp (scripts/drift-reference-values.py)', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const drift = driftOf(baselineOf(c.reference, { sampleSize: c.sampleSize }), c.captured);
    expect(drift.ksStatistic).toBeCloseTo(c.ksStatistic, 12);
    expect(drift.samples).toBe(c.captured.length);
  });

  it('reads a strided column of a row-major tensor', () => {
    const c = reference.cases[1]!;
    const rows = c.captured.length;
    const tensor = new Float32Array(rows * 3).fill(99);
    const widened = Float64Array.from(c.captured, (v) => Math.fround(v));
    widened.forEach((value, row) => (tensor[row * 3 + 2] = value));
    const accumulator = new FeatureDriftAccumulator(baselineOf(c.reference));
    accumulator.add(tensor, 2, 3, rows);
    const direct = driftOf(baselineOf(c.reference), Array.from(widened));
    expect(accumulator.result()).toEqual(direct);
  });
});

describe('PSI over the baseline bins', () => {
  it('matches a hand-computed example', () => {
    // Reference deciles of 0..99 → edges 9.9, 19.8, …; captured: 50 values in bin 0, 50 in bin 9.
    const baseline = baselineOf(Array.from({ length: 100 }, (_, i) => i));
    expect(baseline.bins.counts).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    const drift = driftOf(baseline, [...Array<number>(50).fill(0), ...Array<number>(50).fill(99)]);
    // Two bins: (0.5 - 0.1)·ln(0.5/0.1) each = 0.4·ln 5; eight empty bins: (1e-4 - 0.1)·ln(1e-4/0.1) each.
    const expected = 2 * 0.4 * Math.log(5) + 8 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    expect(expected).toBeCloseTo(6.8082, 4);
    expect(drift.psi).toBeCloseTo(expected, 12);
  });

  it('puts a value equal to an edge in the bin above it (numpy searchsorted side="right")', () => {
    const baseline = baselineOf([0, 1, 2, 3], { bins: 2 }); // median 1.5
    expect(baseline.bins).toEqual({ edges: [1.5], counts: [2, 2] });
    // 1.5 belongs to the upper bin: proportions [0, 1] against [0.5, 0.5].
    const expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    expect(driftOf(baseline, [1.5, 1.5]).psi).toBeCloseTo(expected, 12);
  });

  it('is 0.0164 for a worked 3-bin example', () => {
    // expected 20/50/30 %, actual 25/45/30 %: 0.05·ln(1.25) + (-0.05)·ln(0.9) + 0 = 0.016425…
    expect(populationStabilityIndex([20, 50, 30], [25, 45, 30])).toBeCloseTo(0.016425, 6);
  });

  it('rejects bins that do not line up', () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(/same bins/);
    expect(() => populationStabilityIndex([0, 0], [1, 2])).toThrow(/at least one value/);
  });
});

describe('non-finite captured values', () => {
  it('are counted as missing and left out of both statistics', () => {
    const baseline = baselineOf([1, 2, 3, 4]);
    const drift = driftOf(baseline, [1, NaN, 2, Infinity, 3, -Infinity, 4]);
    expect(drift).toEqual({ feature: 'x', samples: 4, missing: 3, psi: 0, ksStatistic: 0 });
  });

  it('leave no statistic when nothing finite was seen', () => {
    expect(driftOf(baselineOf([1, 2]), [NaN])).toEqual({ feature: 'x', samples: 0, missing: 1 });
  });
});

describe('properties', () => {
  const values = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 200 });
  const bins = fc.integer({ min: 1, max: 20 });

  it('PSI ≥ 0 and D in [0, 1]', () => {
    fc.assert(
      fc.property(values, values, bins, (ref, captured, k) => {
        const drift = driftOf(baselineOf(ref, { bins: k }), captured);
        return drift.psi! >= 0 && drift.ksStatistic! >= 0 && drift.ksStatistic! <= 1;
      }),
    );
  });

  it('PSI and D are 0 on identical data', () => {
    fc.assert(
      fc.property(values, bins, (ref, k) => {
        const drift = driftOf(baselineOf(ref, { bins: k }), ref);
        return drift.psi === 0 && drift.ksStatistic === 0;
      }),
    );
  });

  it('D is symmetric: baseline A vs capture B equals baseline B vs capture A', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const ab = driftOf(baselineOf(a), b).ksStatistic!;
        const ba = driftOf(baselineOf(b), a).ksStatistic!;
        return Math.abs(ab - ba) < 1e-12;
      }),
    );
  });

  it('the order of captured rows does not matter, nor how they are split into adds', () => {
    fc.assert(
      fc.property(values, values, bins, fc.integer({ min: 1, max: 50 }), (ref, captured, k, chunk) => {
        const baseline = baselineOf(ref, { bins: k });
        const whole = driftOf(baseline, captured);
        const reversed = driftOf(baseline, [...captured].reverse());
        const chunked = new FeatureDriftAccumulator(baseline);
        for (let i = 0; i < captured.length; i += chunk) chunked.add(captured.slice(i, i + chunk));
        expect(reversed).toEqual(whole);
        expect(chunked.result()).toEqual(whole);
      }),
    );
  });

  it('D equals the merge-based definition max |F_ref(x) − F_cap(x)| over every data point', () => {
    fc.assert(
      fc.property(values, values, (ref, captured) => {
        const d = driftOf(baselineOf(ref), captured).ksStatistic!;
        const ecdf = (sample: readonly number[], x: number) => sample.filter((v) => v <= x).length / sample.length;
        const expected = Math.max(...[...ref, ...captured].map((x) => Math.abs(ecdf(ref, x) - ecdf(captured, x))));
        return Math.abs(d - expected) < 1e-12;
      }),
    );
  });
});
