import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rule IDs exactly as the policy gates print them after "Acknowledge with". */
export const Rule = {
  s3Replication: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
  s3DefaultEncryptionKmsNist: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS',
  s3DefaultEncryptionKmsGuard: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  s3LoggingGuard: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
  lambdaInsideVpcGuard: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  vpcRouteToIgw: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
} as const;

/**
 * Acknowledges one policy finding on one construct, with the reason an auditor reads. Always pass the exact
 * construct the finding names (usually `x.node.defaultChild`), never a parent, so no other finding is hidden.
 */
export function acknowledgeFinding(construct: IConstruct, ruleId: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: ruleId, reason });
}
