import type { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { InvalidPropError } from './prop-validation';

const ALLOWED_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((value) => typeof value === 'number')
  .map(Number)
  .filter((days) => days > 0);

/** CloudWatch Logs accepts only certain retention periods; picks the exact one or explains which are allowed. */
export function retentionDays(duration: Duration): RetentionDays {
  const days = duration.toDays();
  if (!ALLOWED_DAYS.includes(days)) {
    throw new InvalidPropError('log retention', 'retention', `${days} days`, `one of ${[...ALLOWED_DAYS].sort((a, b) => a - b).join(', ')} days`);
  }
  return days;
}
