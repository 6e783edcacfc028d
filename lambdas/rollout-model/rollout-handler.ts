import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RolloutTargets } from '../../lib/rollout';
import type { Observability } from '../shared/powertools';
import { reconcileModel, resyncPin, type RolloutDeps } from './rollout';
import { parseRolloutEvent } from './rollout-event';
import { ROLLOUT_METRICS } from './rollout-metrics';

/**
 * The adapter edge: parse the event, reconcile or resync the model it names, log and count what happened. Errors
 * (AWS API failures, a version approved but not promoted yet) are thrown: Lambda retries the event, then sends it to
 * the function's dead-letter queue.
 */
export function createRolloutHandler(deps: RolloutDeps, targets: RolloutTargets, { logger, metrics }: Pick<Observability, 'logger' | 'metrics'>) {
  return async (event: unknown) => {
    const request = parseRolloutEvent(event, targets);
    switch (request.kind) {
      case 'ignore':
        logger.info('event needs no rollout', { reason: request.reason });
        return request;
      case 'resync': {
        const outcome = await resyncPin(deps, request.model, targets[request.model]);
        logger.warn('deployment failed or stopped; pin set to the version still serving', { ...outcome, reason: request.reason });
        metrics.addMetric(ROLLOUT_METRICS.rolloutsFailed, MetricUnit.Count, 1);
        return { kind: 'resync' as const, ...outcome };
      }
      case 'reconcile': {
        const outcome = await reconcileModel(deps, request.model, targets[request.model], request.approvedVersion);
        if (outcome.kind === 'rolled-back') {
          logger.warn('model rollout failed and was rolled back; the pin stays on the version still serving', { ...outcome, status: request.status });
          metrics.addMetric(ROLLOUT_METRICS.rolloutsFailed, MetricUnit.Count, 1);
          if (outcome.signal !== undefined) metrics.addMetric(ROLLOUT_METRICS.rolloutsRolledBackOnSignals, MetricUnit.Count, 1);
        } else if (outcome.kind === 'started') {
          logger.info('model rollout started', { ...outcome, status: request.status });
          metrics.addMetric(ROLLOUT_METRICS.rolloutsStarted, MetricUnit.Count, 1);
          if (outcome.signals === 'unchecked') {
            logger.warn("the new version's error rate and latency were not checked while the rollout watched it (see detail)", { ...outcome });
            metrics.addMetric(ROLLOUT_METRICS.rolloutsUnchecked, MetricUnit.Count, 1);
          }
        } else if (outcome.kind === 'nothing-approved') {
          logger.error('no approved version of the model is in the repository; the current version keeps serving', { ...outcome, status: request.status });
          metrics.addMetric(ROLLOUT_METRICS.rolloutsWithoutApprovedVersion, MetricUnit.Count, 1);
        } else {
          logger.info('model already serves the desired version', { ...outcome, status: request.status });
        }
        return outcome;
      }
    }
  };
}
