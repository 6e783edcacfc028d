import { buildDriftBaseline, buildFeatureBaseline, InvalidBaselineError, parseDriftBaseline, quantile } from '../../../../lib/drift';

const createdAt = new Date('2026-11-29T12:00:00Z');

function sampleBaseline() {
  return buildDriftBaseline({
    source: 'test://reference.csv',
    inputTensor: 'input',
    model: 'churn-classifier',
    modelVersion: '3',
    createdAt,
    columns: [
      { name: 'tenure', column: 0, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
      { name: 'plan', column: 1, values: [0, 0, 0, 1, 1, null, NaN, 2, 2, 2] },
    ],
    bins: 4,
  });
}

describe('buildDriftBaseline', () => {
  it('writes statistics, quantile bins, the sorted sample and the column map', () => {
    const baseline = sampleBaseline();
    expect(baseline).toMatchObject({
      formatVersion: '1',
      model: 'churn-classifier',
      modelVersion: '3',
      createdAt: '2026-11-29T12:00:00.000Z',
      dataset: { source: 'test://reference.csv', rows: 10 },
      inputTensor: 'input',
      inputColumns: 2,
    });
    const [tenure, plan] = baseline.features;
    expect(tenure).toEqual({
      name: 'tenure',
      column: 0,
      statistics: { count: 10, missing: 0, mean: 5.5, stddev: Math.sqrt(8.25), min: 1, max: 10 },
      // numpy.quantile(1..10, [0.25, 0.5, 0.75]) = 3.25, 5.5, 7.75
      bins: { edges: [3.25, 5.5, 7.75], counts: [3, 2, 2, 3] },
      sample: { method: 'all', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
    });
    // null and NaN are missing; quantiles of [0,0,0,1,1,2,2,2] at 1/4, 2/4, 3/4 = 0, 1, 2: bin 0 (x < 0) stays empty.
    expect(plan.statistics).toMatchObject({ count: 8, missing: 2, min: 0, max: 2 });
    expect(plan.bins).toEqual({ edges: [0, 1, 2], counts: [0, 3, 2, 3] });
  });

  it('keeps evenly spaced order statistics when the reference is larger than sampleSize', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 999 - i);
    const feature = buildFeatureBaseline({ name: 'x', column: 0, values }, { sampleSize: 4 });
    // sorted[floor((i + 0.5) * 1000 / 4)] = sorted[125], [375], [625], [875]
    expect(feature.sample).toEqual({ method: 'order-statistics', values: [125, 375, 625, 875] });
  });

  it('computes the quantiles numpy does (linear interpolation)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.9)).toBe(10);
    expect(quantile([0, 10], 0.1)).toBe(1);
  });

  it.each([
    [{ bins: 0 }, /bins: got 0; a whole number from 1 to 1000/],
    [{ sampleSize: 1.5 }, /sampleSize: got 1.5; a whole number from 1 to 100000/],
  ])('rejects %o', (options, message) => {
    expect(() => buildFeatureBaseline({ name: 'x', column: 0, values: [1] }, options)).toThrow(message);
  });

  it('rejects a feature with no finite value', () => {
    expect(() => buildFeatureBaseline({ name: 'empty', column: 0, values: [NaN, null] })).toThrow(/feature 'empty': no finite value among 2/);
  });

  it('rejects two features on one column', () => {
    expect(() =>
      buildDriftBaseline({
        source: 's',
        inputTensor: 'input',
        columns: [
          { name: 'a', column: 0, values: [1] },
          { name: 'b', column: 0, values: [1] },
        ],
      }),
    ).toThrow(/features\.1\.column: column 0 is mapped twice/);
  });
});

describe('parseDriftBaseline', () => {
  it('round-trips a built baseline through JSON', () => {
    const baseline = sampleBaseline();
    expect(parseDriftBaseline(JSON.parse(JSON.stringify(baseline)))).toEqual(baseline);
  });

  it('names every broken field', () => {
    const broken = JSON.parse(JSON.stringify(sampleBaseline()));
    broken.formatVersion = '2';
    broken.features[0].bins.edges = [3, 2, 4];
    broken.features[1].sample.values = [2, 1];
    let error: unknown;
    try {
      parseDriftBaseline(broken, 's3://b/k');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidBaselineError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid drift baseline s3:\/\/b\/k: /);
    expect(message).toMatch(/formatVersion: /);
    expect(message).toMatch(/features\.0\.bins\.edges\.1: edges must be strictly increasing: 2 follows 3/);
    expect(message).toMatch(/features\.1\.sample\.values\.1: values must be sorted ascending: 1 follows 2/);
  });

  it('rejects a column outside the input tensor', () => {
    const broken = JSON.parse(JSON.stringify(sampleBaseline()));
    broken.features[1].column = 5;
    expect(() => parseDriftBaseline(broken)).toThrow(/features\.1\.column: column 5 is outside the input tensor's 2 columns/);
  });
});
