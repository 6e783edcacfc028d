import type { CfnResource } from 'aws-cdk-lib';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { permissionsPolicyOf } from '../shared/managed-policy-role';
import type { LambdaServing } from './lambda-serving';
import { acknowledgeModelRepositoryRead } from './serving-findings';
import type { IModelRepository } from '../model-registry';

/** The findings a Lambda serving function cannot fix, each on its resource with the reason. */
export function acknowledgeLambdaServingFindings(serving: LambdaServing, modelRepository: IModelRepository): void {
  const cfnFunction = serving.function.node.defaultChild as CfnResource;
  acknowledgeFinding(
    cfnFunction,
    Rule.lambdaDlq,
    'The function is only invoked synchronously (Function URL or HTTP API): the caller receives every error in the response, ' +
      'and Lambda never retries a synchronous call, so a dead-letter queue would never receive a message.',
  );
  acknowledgeFinding(
    cfnFunction,
    Rule.lambdaInsideVpcGuard,
    "The function runs in the platform VPC's private subnets with its own security group; the subnet IDs are imported from the " +
      'network stack (Fn::ImportValue), which this rule does not recognise as a subnet reference.',
  );
  acknowledgeFinding(
    serving.role.node.defaultChild as CfnResource,
    Rule.iam4LambdaVpcAccess,
    'AWSLambdaVPCAccessExecutionRole is the policy Lambda requires to create and delete the network interfaces of a function in a ' +
      'VPC; ec2:DescribeNetworkInterfaces and the interface actions do not support narrower resource scoping at creation time.',
  );
  const policy = permissionsPolicyOf(serving.role);
  acknowledgeFinding(
    policy,
    Rule.iam5AnyResource,
    'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires ' +
      'Resource "*"; no other statement of this policy uses it.',
  );
  acknowledgeModelRepositoryRead(policy, modelRepository);
  acknowledgeFinding(
    serving.deploymentGroup.role.node.defaultChild as CfnResource,
    Rule.iam4CodeDeployLambda,
    'AWSCodeDeployRoleForLambdaLimited is the AWS policy CodeDeploy needs to shift alias traffic and read the rollback alarms; ' +
      'it is the limited variant, scoped to aliases and alarms, that the CodeDeploy documentation prescribes for Lambda.',
  );
}
