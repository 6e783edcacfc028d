import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { PlatformFunction } from './platform-function';

/** One IAM5 acknowledgment per object prefix a function reads or writes: [bucket, key pattern, why it is a pattern]. */
export function acknowledgeObjectPatterns(fn: PlatformFunction, patterns: ReadonlyArray<readonly [s3.IBucket, string, string]>): void {
  for (const [bucket, keyPattern, why] of patterns) {
    fn.acknowledgeWildcardResource(
      bucket.arnForObjects(keyPattern),
      `Object keys are only known at run time: ${why}. The pattern names the bucket and the narrowest prefix.`,
    );
  }
}
