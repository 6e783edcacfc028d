/**
 * Proportion that stands in for an empty bin, so that ln(a/e) stays finite: a bin empty on one side contributes
 * (a - ε)·ln(a/ε), large but bounded. 1e-4 is the value most PSI implementations use.
 */
export const PSI_EMPTY_BIN_EPSILON = 1e-4;

/**
 * Population stability index of `actual` against `expected`, both given as counts over the same bins:
 * PSI = Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) with aᵢ, eᵢ the bin proportions, each at least `epsilon`.
 * Every term is ≥ 0 (its two factors have the same sign), so PSI ≥ 0, and 0 when the proportions are equal.
 * Read as: < 0.1 stable, 0.1–0.2 some shift, ≥ 0.2 significant shift.
 */
export function populationStabilityIndex(expected: ArrayLike<number>, actual: ArrayLike<number>, epsilon = PSI_EMPTY_BIN_EPSILON): number {
  if (expected.length !== actual.length)
    throw new RangeError(`PSI needs the same bins on both sides: ${expected.length} expected bins, ${actual.length} actual`);
  const expectedTotal = sum(expected);
  const actualTotal = sum(actual);
  if (expectedTotal === 0 || actualTotal === 0) throw new RangeError('PSI needs at least one value on each side');
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / expectedTotal, epsilon);
    const a = Math.max(actual[i] / actualTotal, epsilon);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
