import { Duration, Token } from 'aws-cdk-lib';
import { InvalidPropError } from '../shared/prop-validation';
import type { DriftDetectionProps } from './drift-detection-props';

const NAME = 'DriftDetection';

/** Each rule names the construct, the prop, the value and what is allowed. */
export function validateDriftDetectionProps(props: DriftDetectionProps, schedule: Duration): void {
  const minutes = schedule.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
    throw new InvalidPropError(NAME, 'schedule', schedule.toHumanString(), 'whole minutes from 5 to 1440');
  }
  if (props.models.length === 0) throw new InvalidPropError(NAME, 'models', '[]', 'at least one model (the models with a drift block)');
  const seen = new Set<string>();
  for (const model of props.models) {
    if (seen.has(model.name)) throw new InvalidPropError(NAME, 'models', model.name, 'each model once');
    seen.add(model.name);
  }
  if (!Token.isUnresolved(props.environmentName) && !/^[a-z][a-z0-9-]*$/.test(props.environmentName)) {
    throw new InvalidPropError(NAME, 'environmentName', props.environmentName, 'lower-case letters, digits and hyphens, starting with a letter');
  }
}
