import { CfnResource, Stack } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { FactName } from 'aws-cdk-lib/region-info';

/**
 * Turns on a load balancer's access logs to an SSE-S3 bucket, also in region-agnostic stacks: CDK's
 * `logAccessLogs` needs the region at synth to pick the principal, so both are granted here. Regions opened before
 * August 2022 deliver as the regional Elastic Load Balancing account (a lookup map chosen at deploy time; the stack's
 * own account where the region has none), newer ones as the log delivery service principal.
 */
export function enableLoadBalancerAccessLogs(loadBalancer: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  const stack = Stack.of(loadBalancer);
  loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
  loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  loadBalancer.setAttribute('access_logs.s3.prefix', prefix);
  const logObjects = bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`);
  const elbAccount = stack.regionalFact(FactName.ELBV2_ACCOUNT, stack.account);
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `LoadBalancerLogDelivery${prefix.replace(/[^A-Za-z0-9]/g, '')}`,
      actions: ['s3:PutObject'],
      principals: [new iam.AccountPrincipal(elbAccount), new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
      resources: [logObjects],
    }),
  );
  // The load balancer checks that it may write to the bucket when the attribute is set.
  const policy = bucket.policy?.node.defaultChild;
  const cfnLoadBalancer = loadBalancer.node.defaultChild;
  if (CfnResource.isCfnResource(policy) && CfnResource.isCfnResource(cfnLoadBalancer)) cfnLoadBalancer.addResourceDependency(policy);
}
