import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';

/**
 * EventBridge "SageMaker Model Package State Change" (SageMaker developer guide, "Events that SageMaker sends to
 * EventBridge"). Only the fields used here are required; the detail carries the whole package description too.
 */
export const approvalEventSchema = EventBridgeSchema.extend({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Model Package State Change'),
  detail: z.looseObject({
    ModelPackageGroupName: z.string().min(1),
    ModelPackageVersion: z.number().int().positive(),
    ModelPackageArn: z.string().startsWith('arn:'),
    ModelApprovalStatus: z.string(),
  }),
});
export type ApprovalEvent = z.infer<typeof approvalEventSchema>;
