import fc from 'fast-check';
import { evaluateGate, GATE_COMPARISONS, type Gate } from '../../../../lib/training';

const gate: Gate = { metric: 'validation:auc', comparison: '>=', threshold: 0.75 };

describe('evaluateGate', () => {
  test('passes at the threshold for >= and names the figure', () => {
    expect(evaluateGate(gate, { 'validation:auc': 0.75 })).toEqual({
      passed: true,
      metric: 'validation:auc',
      value: 0.75,
      reason: 'evaluation gate validation:auc >= 0.75 passed: validation:auc = 0.75',
    });
  });

  test('a miss fails with the value and every reported metric', () => {
    expect(evaluateGate(gate, { 'validation:loss': 0.61, 'validation:auc': 0.7 })).toEqual({
      passed: false,
      metric: 'validation:auc',
      value: 0.7,
      reason: 'evaluation gate validation:auc >= 0.75 failed: validation:auc = 0.7 (reported metrics: validation:auc=0.7, validation:loss=0.61)',
    });
  });

  test('a metric that was not reported fails the gate', () => {
    expect(evaluateGate(gate, { 'validation:loss': 0.2 }).reason).toBe(
      'evaluation gate validation:auc >= 0.75 failed: validation:auc was not reported (reported metrics: validation:loss=0.2)',
    );
  });

  test('NaN fails the gate, whatever the comparison', () => {
    for (const comparison of GATE_COMPARISONS) expect(evaluateGate({ ...gate, comparison }, { 'validation:auc': Number.NaN }).passed).toBe(false);
  });

  test('a loss gate (<=) passes below and fails above', () => {
    const lossGate: Gate = { metric: 'validation:loss', comparison: '<=', threshold: 0.4 };
    expect(evaluateGate(lossGate, { 'validation:loss': 0.39 }).passed).toBe(true);
    expect(evaluateGate(lossGate, { 'validation:loss': 0.41 }).passed).toBe(false);
  });

  test('property: the gate passes exactly when the comparison holds, and strict comparisons fail at the threshold', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GATE_COMPARISONS),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (comparison, threshold, value) => {
          const result = evaluateGate({ metric: 'm', comparison, threshold }, { m: value });
          const holds = { '>=': value >= threshold, '>': value > threshold, '<=': value <= threshold, '<': value < threshold }[comparison];
          expect(result.passed).toBe(holds);
          expect(result.reason).toContain(`m ${comparison} ${threshold}`);
          if (comparison === '>' || comparison === '<') expect(evaluateGate({ metric: 'm', comparison, threshold }, { m: threshold }).passed).toBe(false);
        },
      ),
    );
  });

  test('property: a gate and its mirror never both pass on a value other than the threshold', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (threshold, value) => {
        fc.pre(value !== threshold);
        const above = evaluateGate({ metric: 'm', comparison: '>=', threshold }, { m: value }).passed;
        const below = evaluateGate({ metric: 'm', comparison: '<=', threshold }, { m: value }).passed;
        expect(above !== below).toBe(true);
      }),
    );
  });
});
