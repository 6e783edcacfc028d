import { Token } from 'aws-cdk-lib';

/** A construct prop outside what the construct allows; names the construct, the prop, the value and the rule. */
export class InvalidPropError extends Error {
  constructor(constructName: string, prop: string, value: unknown, allowed: string) {
    super(`${constructName}: invalid ${prop} = ${JSON.stringify(value)}; ${allowed}`);
    this.name = 'InvalidPropError';
  }
}

/** True when a value is known at synth time; unresolved tokens are left for CloudFormation to check. */
export function isResolved(value: unknown): boolean {
  return !Token.isUnresolved(value);
}
