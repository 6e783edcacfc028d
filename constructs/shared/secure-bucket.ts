import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { acknowledgeFinding, acknowledgeProviderHandlerFinding, Rule } from './acknowledge';
import { requireFeatureFlag } from './feature-flags';

export interface SecureBucketOptions {
  /** Customer-managed key; omitted only for buckets that S3 requires to use SSE-S3 (server access log targets). */
  readonly encryptionKey?: IKey;
  /** Bucket that receives this bucket's server access logs; omitted only for the log bucket itself. */
  readonly serverAccessLogsBucket?: s3.IBucket;
  readonly serverAccessLogsPrefix?: string;
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects: boolean;
  readonly lifecycleRules: s3.LifecycleRule[];
  /** Object events to Amazon EventBridge; default true. */
  readonly eventBridgeEnabled?: boolean;
  /**
   * For a log target without `encryptionKey`: what it receives and why that delivery needs SSE-S3, for the acknowledgment
   * reason; default: S3 server access logs.
   */
  readonly sseS3LogDeliveryReason?: string;
}

/**
 * The one place that says what every bucket of the platform looks like: encrypted, versioned, private,
 * TLS 1.2+ only, owner-enforced, logged, with explicit lifecycle and removal behaviour.
 */
export function createSecureBucket(scope: Construct, id: string, options: SecureBucketOptions): s3.Bucket {
  if (options.serverAccessLogsBucket) requireFeatureFlag(scope, cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY);
  const bucket = new s3.Bucket(scope, id, {
    encryption: options.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: options.encryptionKey ? true : undefined,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    lifecycleRules: options.lifecycleRules,
    removalPolicy: options.removalPolicy,
    autoDeleteObjects: options.removalPolicy === RemovalPolicy.DESTROY && options.autoDeleteObjects,
    // Object Lock without a default retention: no object is locked unless someone places a legal hold or
    // retention on it (e.g. evidence for an audit), but the capability exists, and it can only be set at creation.
    objectLockEnabled: true,
  });
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  if (options.eventBridgeEnabled ?? true) {
    // Set on the bucket itself rather than through CDK's notifications custom resource (one Lambda less).
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
  acknowledgeFinding(
    cfnBucket,
    Rule.s3Replication,
    'Cross-region replication is a per-organisation disaster-recovery choice (destination region, destination key, cost). ' +
      'The bucket is versioned, Object Lock capable and retained outside dev; teams that need CRR add a replication rule to the exposed bucket.',
  );
  if (!options.encryptionKey) acknowledgeSseS3LogTarget(cfnBucket, options.sseS3LogDeliveryReason);
  if (!options.serverAccessLogsBucket) acknowledgeLogBucketNotLogged(cfnBucket);
  if (options.removalPolicy === RemovalPolicy.DESTROY && options.autoDeleteObjects) acknowledgeAutoDeleteProvider(scope);
  return bucket;
}

function acknowledgeSseS3LogTarget(cfnBucket: s3.CfnBucket, customReason?: string): void {
  const reason =
    customReason ??
    'This bucket only receives S3 server access logs, and S3 log delivery supports only SSE-S3 (AES-256) on the target bucket; ' + 'it holds no platform data.';
  acknowledgeFinding(cfnBucket, Rule.s3DefaultEncryptionKmsNist, reason);
  acknowledgeFinding(cfnBucket, Rule.s3DefaultEncryptionKmsGuard, reason);
}

function acknowledgeLogBucketNotLogged(cfnBucket: s3.CfnBucket): void {
  acknowledgeFinding(
    cfnBucket,
    Rule.s3LoggingGuard,
    'This is the server-access-log bucket itself; logging it into itself would log every log delivery without end. ' +
      'Access to it is recorded by CloudTrail data events where the account enables them.',
  );
}

/** CDK's singleton provider that empties DESTROY-policy buckets when the stack is deleted (dev environments only). */
function acknowledgeAutoDeleteProvider(scope: Construct): void {
  acknowledgeProviderHandlerFinding(
    scope,
    'Custom::S3AutoDeleteObjectsCustomResourceProvider',
    Rule.lambdaInsideVpcGuard,
    'CDK-managed auto-delete provider that only runs at stack deletion in environments configured with removalPolicy destroy ' +
      "(dev); it calls only the S3 API of this stack's buckets and serves no traffic.",
  );
}

/** Lifecycle rule every versioned bucket carries: old versions and abandoned uploads do not accumulate. */
export function housekeepingRule(noncurrentVersionExpiration: Duration, abortIncompleteMultipartUploadAfter: Duration): s3.LifecycleRule {
  return {
    id: 'housekeeping',
    noncurrentVersionExpiration,
    abortIncompleteMultipartUploadAfter,
    expiredObjectDeleteMarker: true,
  };
}
