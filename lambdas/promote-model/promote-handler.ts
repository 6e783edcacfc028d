import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaHandler } from '../shared/handler-template';
import type { Observability } from '../shared/powertools';
import { approvalEventSchema } from './approval-event';
import { ArtifactConflictError, PackageRejectedError } from './errors';
import { PROMOTE_METRICS } from './promote-metrics';
import { promoteModelPackage, type PromoteDeps, type PromotionOutcome } from './promote';

export type HandlerResult = PromotionOutcome | { readonly kind: 'rejected'; readonly modelPackageArn: string; readonly reasons: readonly string[] };

/**
 * The adapter edge: maps outcomes and named errors to logs, metrics and the return value.
 * Rejections return normally, so Lambda's async retries do not replay a decision that cannot change;
 * anything else (malformed event, S3 or SageMaker errors) is thrown: retried, then sent to the on-failure destination.
 */
export function createApprovalHandler(deps: PromoteDeps, { logger, metrics }: Pick<Observability, 'logger' | 'metrics'>) {
  return async (rawEvent: unknown): Promise<HandlerResult> => {
    const event = approvalEventSchema.parse(rawEvent);
    const context = {
      modelPackageArn: event.detail.ModelPackageArn,
      modelPackageGroup: event.detail.ModelPackageGroupName,
      version: event.detail.ModelPackageVersion,
    };
    if (event.detail.ModelApprovalStatus !== 'Approved') {
      logger.info('Model package state change is not an approval; nothing to promote', { ...context, approvalStatus: event.detail.ModelApprovalStatus });
      metrics.addMetric(PROMOTE_METRICS.promotionsSkipped, MetricUnit.Count, 1);
      return { kind: 'not-approved', approvalStatus: event.detail.ModelApprovalStatus };
    }
    try {
      const outcome = await promoteModelPackage(deps, event);
      if (outcome.kind === 'promoted') {
        logger.info('Model package promoted to the serving repository', { ...context, ...outcome });
        metrics.addMetric(PROMOTE_METRICS.packagesPromoted, MetricUnit.Count, 1);
      } else {
        logger.info(outcome.kind === 'already-promoted' ? 'Model version already promoted; nothing changed' : 'Model package is no longer approved', {
          ...context,
          ...outcome,
        });
        metrics.addMetric(PROMOTE_METRICS.promotionsSkipped, MetricUnit.Count, 1);
      }
      return outcome;
    } catch (error) {
      if (error instanceof PackageRejectedError || error instanceof ArtifactConflictError) {
        const reasons = error instanceof PackageRejectedError ? error.reasons : [error.message];
        logger.error('Model package rejected; it will not be served', { ...context, reasons });
        metrics.addMetric(PROMOTE_METRICS.packagesRejected, MetricUnit.Count, 1);
        return { kind: 'rejected', modelPackageArn: event.detail.ModelPackageArn, reasons };
      }
      throw error;
    }
  };
}

/** The Lambda handler: EventBridge "SageMaker Model Package State Change" events, invoked asynchronously. */
export function createPromoteHandler(deps: PromoteDeps, observability: Observability) {
  return lambdaHandler(observability, createApprovalHandler(deps, observability));
}
