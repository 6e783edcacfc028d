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

/** The model repository's own grant (read and write on its prefix) uses CDK's bucket action groups. */
export function acknowledgeModelRepositoryGrant(fn: PlatformFunction): void {
  const reason =
    "Granted by ModelRepository.grantWrite, the repository's one write grant (CDK bucket action groups) on the models/ prefix " +
    'and its key only; promotion reads (idempotency check) and writes the serving layout there.';
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
    fn.acknowledgeWildcardAction(action, reason);
  }
}
