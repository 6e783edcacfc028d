import { isModelPackageGroupName } from '../../../../lib/registry';

describe('isModelPackageGroupName', () => {
  it.each([
    ['churn-classifier', true],
    ['dev-churn-classifier', true],
    ['a--b', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    // 63 letters and digits, but 64 characters with the hyphen: the pattern alone would accept it.
    [`${'x'.repeat(40)}-${'y'.repeat(23)}`, false],
    ['-dev', false],
    ['dev-', false],
    ['dev_churn', false],
    ['', false],
  ])('%s → %s', (name, valid) => {
    expect(isModelPackageGroupName(name)).toBe(valid);
  });
});
