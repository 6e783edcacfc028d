import type { CfnResource } from 'aws-cdk-lib';
import type { IModelRepository } from '../model-registry';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import type { FargateServing } from './fargate-serving';
import { acknowledgeWildcardResource } from '../shared/wildcard-findings';
import { acknowledgeModelRepositoryRead } from './serving-findings';

export interface FargateFindingContext {
  readonly https: boolean;
  readonly internetFacing: boolean;
  readonly deletionProtection: boolean;
}

/** The findings a Fargate serving service cannot fix, each on its resource with the reason. */
export function acknowledgeFargateServingFindings(serving: FargateServing, modelRepository: IModelRepository, context: FargateFindingContext): void {
  acknowledgeModelRepositoryRead(serving.taskRole, modelRepository);
  acknowledgeWildcardResource(
    serving.executionRole,
    '*',
    'ecr:GetAuthorizationToken, which the ECS agent needs to pull the serving image, supports no resource-level permissions, so AWS ' +
      'requires Resource "*"; the image pull actions themselves are limited to the image repository.',
  );
  acknowledgeFinding(
    serving.taskDefinition.node.defaultChild as CfnResource,
    Rule.ecsEnvironmentVariables,
    'The environment variables hold only non-secret settings (model repository URI, listen address, drain timeout, the capture ' +
      'fraction and bucket, and the metrics collector config with the workspace URL); serving has no secrets, it authenticates with its task role.',
  );
  if (!context.https && !context.internetFacing) {
    const listener = serving.listener.node.defaultChild as CfnResource;
    const reason =
      'Internal load balancer without a certificate: reachable only inside the VPC from the clients security group, and TLS for a ' +
      'private name needs a private CA the platform does not assume; pass certificate for an HTTPS listener.';
    acknowledgeFinding(listener, Rule.albHttpToHttpsNist, reason);
    acknowledgeFinding(listener, Rule.albHttpToHttpsGuard, reason);
    acknowledgeFinding(listener, Rule.elbAcmCertificateNist, reason);
  }
  if (!context.internetFacing) {
    acknowledgeFinding(
      serving.loadBalancer.node.defaultChild as CfnResource,
      Rule.albWafNist,
      'Internal load balancer in private subnets that only the clients security group can reach; AWS WAF protects internet-facing ' +
        'endpoints, and an internet-facing deployment must associate a web ACL with this load balancer to pass this gate.',
    );
  }
  if (!context.deletionProtection) {
    const reason =
      'Deletion protection is off only where the environment config sets removalPolicy destroy (dev): the load balancer holds no ' +
      'data and is recreated by the stack; retained environments keep it on.';
    acknowledgeFinding(serving.loadBalancer.node.defaultChild as CfnResource, Rule.elbDeletionProtectionNist, reason);
    acknowledgeFinding(serving.loadBalancer.node.defaultChild as CfnResource, Rule.elbDeletionProtectionGuard, reason);
  }
}
