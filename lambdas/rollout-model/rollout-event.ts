import { z } from 'zod';
import type { RolloutTargets } from '../../lib/rollout';
import { approvalEventSchema } from '../promote-model/approval-event';

/** ECS service deployment state change (ECS developer guide, "Amazon ECS service deployment state change events"). */
const ecsDeploymentEventSchema = z.looseObject({
  source: z.literal('aws.ecs'),
  'detail-type': z.literal('ECS Deployment State Change'),
  resources: z.array(z.string()).min(1),
  detail: z.looseObject({ eventName: z.string() }),
});

/** CodeDeploy deployment state-change notification (CodeDeploy user guide, "Monitoring deployments with EventBridge"). */
const codeDeployEventSchema = z.looseObject({
  source: z.literal('aws.codedeploy'),
  'detail-type': z.literal('CodeDeploy Deployment State-change Notification'),
  detail: z.looseObject({ application: z.string(), deploymentGroup: z.string(), state: z.string() }),
});

/** What the function was asked to do, for which model. */
export type RolloutRequest =
  | { readonly kind: 'reconcile'; readonly model: string; readonly approvedVersion?: number; readonly status: string }
  | { readonly kind: 'resync'; readonly model: string; readonly reason: string }
  | { readonly kind: 'ignore'; readonly reason: string };

/** Maps an EventBridge event to a request, naming the model through the rollout targets; unknown shapes throw. */
export function parseRolloutEvent(raw: unknown, targets: RolloutTargets): RolloutRequest {
  const models = Object.entries(targets);
  const approval = approvalEventSchema.safeParse(raw);
  if (approval.success) {
    const { ModelPackageGroupName: group, ModelApprovalStatus: status, ModelPackageVersion: version } = approval.data.detail;
    const model = models.find(([, t]) => t.modelPackageGroup === group)?.[0];
    if (model === undefined) return { kind: 'ignore', reason: `model package group ${group} is not served here` };
    return { kind: 'reconcile', model, status, approvedVersion: status === 'Approved' ? version : undefined };
  }
  const ecs = ecsDeploymentEventSchema.safeParse(raw);
  if (ecs.success) {
    if (ecs.data.detail.eventName !== 'SERVICE_DEPLOYMENT_FAILED') return { kind: 'ignore', reason: `ECS ${ecs.data.detail.eventName}` };
    const serviceArn = ecs.data.resources[0];
    const model = models.find(([, t]) => t.target.kind === 'ecs' && serviceArn.endsWith(`/${t.target.service}`))?.[0];
    if (model === undefined) return { kind: 'ignore', reason: `ECS service ${serviceArn} is not served here` };
    return { kind: 'resync', model, reason: `ECS deployment failed on ${serviceArn}` };
  }
  const codedeploy = codeDeployEventSchema.safeParse(raw);
  if (codedeploy.success) {
    const { application, deploymentGroup, state } = codedeploy.data.detail;
    if (state !== 'FAILURE' && state !== 'STOP') return { kind: 'ignore', reason: `CodeDeploy ${state}` };
    const model = models.find(
      ([, t]) => t.target.kind === 'lambda' && t.target.codeDeployApplication === application && t.target.deploymentGroup === deploymentGroup,
    )?.[0];
    if (model === undefined) return { kind: 'ignore', reason: `CodeDeploy group ${application}/${deploymentGroup} is not served here` };
    return { kind: 'resync', model, reason: `CodeDeploy deployment ${state} on ${deploymentGroup}` };
  }
  throw new Error(`not a model package state change, ECS deployment or CodeDeploy deployment event: ${approval.error.issues[0]?.message ?? 'unknown shape'}`);
}
