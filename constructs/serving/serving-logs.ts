import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { createPlatformKey } from '../shared/platform-key';
import { retentionDays } from '../shared/retention';
import { allowCloudWatchLogs } from '../shared/cloudwatch-logs-key-access';

/** The caller's key, or a new platform key; either way CloudWatch Logs of this region may use it. */
export function resolveLogKey(scope: Construct, key: kms.IKey | undefined, description: string, removalPolicy: RemovalPolicy): kms.IKey {
  const resolved = key ?? createPlatformKey(scope, 'LogKey', { description, removalPolicy });
  allowCloudWatchLogs(scope, resolved);
  return resolved;
}

export interface ServingLogGroupOptions {
  readonly encryptionKey: kms.IKey;
  readonly retention: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/** A serving log group: encrypted with the given key and kept for an explicit retention. */
export function createServingLogGroup(scope: Construct, id: string, options: ServingLogGroupOptions): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    encryptionKey: options.encryptionKey,
    retention: retentionDays(options.retention),
    removalPolicy: options.removalPolicy,
  });
}
