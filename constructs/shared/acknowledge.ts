import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Rule IDs exactly as the policy gates print them after "Acknowledge with". */
export const Rule = {
  s3Replication: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
  s3DefaultEncryptionKmsNist: 'NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS',
  s3DefaultEncryptionKmsGuard: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
  s3LoggingGuard: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
  lambdaInsideVpcGuard: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
  vpcRouteToIgw: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
  iam4EksClusterPolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
  iam4EksWorkerNodePolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy]',
  iam4EcrPullOnly: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]',
  iam4EksCniPolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy]',
  iam4EksComputePolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSComputePolicy]',
  iam4EksBlockStoragePolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSBlockStoragePolicy]',
  iam4EksLoadBalancingPolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSLoadBalancingPolicy]',
  iam4EksNetworkingPolicy: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSNetworkingPolicy]',
  lambdaDlq: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ',
  alarmActionNist: 'NIST.800.53.R5::NIST.800.53.R5-CloudWatchAlarmAction',
  alarmActionGuard: 'cdk-validator-cfnguard::cloudwatch_alarm_action_check',
  iam4CodeDeployLambda: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
  sqsDlqGuard: 'cdk-validator-cfnguard::sqs_dlq_check',
  sqsDlqAwsSolutions: 'AwsSolutions::AwsSolutions-SQS3',
  cfnDeprecatedProperty: 'CloudFormation-Validate::W9009',
  ecsEnvironmentVariables: 'AwsSolutions::AwsSolutions-ECS2',
  albHttpToHttpsNist: 'NIST.800.53.R5::NIST.800.53.R5-ALBHttpToHttpsRedirection',
  albHttpToHttpsGuard: 'cdk-validator-cfnguard::alb_http_to_https_redirection_check',
  elbAcmCertificateNist: 'NIST.800.53.R5::NIST.800.53.R5-ELBv2ACMCertificateRequired',
  albWafNist: 'NIST.800.53.R5::NIST.800.53.R5-ALBWAFEnabled',
  elbDeletionProtectionNist: 'NIST.800.53.R5::NIST.800.53.R5-ELBDeletionProtectionEnabled',
  ec2RestrictedCommonPortsNist: 'NIST.800.53.R5::NIST.800.53.R5-EC2RestrictedCommonPorts',
  ec2RestrictedSshNist: 'NIST.800.53.R5::NIST.800.53.R5-EC2RestrictedSSH',
  ec2UnrestrictedIngressAwsSolutions: 'AwsSolutions::AwsSolutions-EC23',
  elbDeletionProtectionGuard: 'cdk-validator-cfnguard::elbv2_deletion_protection_enabled_check',
} as const;

/**
 * Acknowledges one policy finding on one construct, with the reason an auditor reads. Always pass the exact
 * construct the finding names (usually `x.node.defaultChild`), never a parent, so no other finding is hidden.
 */
export function acknowledgeFinding(construct: IConstruct, ruleId: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: ruleId, reason });
  const rules = platformAcknowledgments.get(construct) ?? new Set<string>();
  rules.add(ruleId);
  platformAcknowledgments.set(construct, rules);
}

/**
 * aws-cdk-lib acknowledges some of its own schema-validation warnings (e.g. on the VPC flow log and on stacks);
 * this tells the platform's acknowledgments, which this repository must justify, apart from those.
 */
export function isPlatformAcknowledgment(construct: IConstruct, ruleId: string): boolean {
  return platformAcknowledgments.get(construct)?.has(ruleId) ?? false;
}

const platformAcknowledgments = new WeakMap<IConstruct, Set<string>>();

/**
 * Acknowledges one finding on the Lambda handler of a CDK-managed singleton custom-resource provider (created once per
 * stack, e.g. `Custom::S3AutoDeleteObjectsCustomResourceProvider`), if the stack has that provider.
 */
export function acknowledgeProviderHandlerFinding(scope: IConstruct, providerId: string, ruleId: string, reason: string): void {
  const handler = Stack.of(scope).node.tryFindChild(providerId)?.node.tryFindChild('Handler');
  if (handler) acknowledgeFinding(handler, ruleId, reason);
}
