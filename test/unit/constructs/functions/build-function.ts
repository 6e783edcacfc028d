import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PlatformFunction, type PlatformFunctionProps } from '../../../../constructs/functions';
import { fastCdkContext } from '../../../support/cdk-context';

export const ECHO_ENTRY = path.join(__dirname, 'fixtures', 'echo-handler.ts');

/** A stack with a VPC and one PlatformFunction built from the echo fixture. */
export function buildFunction(overrides: Partial<PlatformFunctionProps> = {}) {
  const stack = new Stack(new App({ context: { ...fastCdkContext(), 'aws:cdk:bundling-stacks': [] } }), 'TestStack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const fn = new PlatformFunction(stack, 'Fn', {
    entry: ECHO_ENTRY,
    description: 'test function',
    memorySize: 512,
    timeout: Duration.minutes(1),
    reservedConcurrentExecutions: 3,
    vpc,
    ...overrides,
  });
  return { stack, vpc, fn };
}
