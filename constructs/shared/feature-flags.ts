import { FeatureFlags } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';

/**
 * The CDK feature flags the constructs cannot work without, each with why. Everything else the constructs need they
 * set explicitly on the resource, so they synthesize the same under any app's flags.
 */
export const REQUIRED_FEATURE_FLAGS = {
  [cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY]:
    'every bucket is BucketOwnerEnforced (no ACLs), so S3 server access logs can only be delivered under a bucket policy',
} as const;

export type RequiredFeatureFlag = keyof typeof REQUIRED_FEATURE_FLAGS;

/** A required feature flag is off in the app: names the construct, the flag, how to set it and why it is needed. */
export class MissingFeatureFlagError extends Error {
  constructor(constructPath: string, flag: RequiredFeatureFlag) {
    super(`${constructPath}: set the CDK feature flag "${flag}": true in your cdk.json "context" (${REQUIRED_FEATURE_FLAGS[flag]})`);
    this.name = 'MissingFeatureFlagError';
  }
}

/** Throws `MissingFeatureFlagError` unless `flag` is enabled where `scope` sits in the app. */
export function requireFeatureFlag(scope: IConstruct, flag: RequiredFeatureFlag): void {
  if (!FeatureFlags.of(scope).isEnabled(flag)) throw new MissingFeatureFlagError(scope.node.path, flag);
}
