import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { allowCloudWatchLogs } from '../shared/cloudwatch-logs-key-access';
import { createPlatformKey } from '../shared/platform-key';

/** The key of platform functions: their log groups, environment variables and queues. */
export function createFunctionsKey(scope: Construct, id: string, options: { description: string; removalPolicy: RemovalPolicy }): kms.Key {
  const key = createPlatformKey(scope, id, options);
  allowCloudWatchLogs(scope, key);
  return key;
}
