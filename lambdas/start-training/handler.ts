import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import { START_TRAINING_METRICS, TRAINING_MODEL_DIMENSION, TRAINING_SERVICES } from '../../lib/training';
import { requireEnv } from '../shared/env';
import { lambdaHandler } from '../shared/handler-template';
import { createObservability } from '../shared/powertools';
import { parseStartTrainingConfig } from './start-training-config';
import { startRun, type StartOutcome } from './start-run';
import { InvalidTriggerError, parseTrigger } from './trigger-event';

const observability = createObservability(TRAINING_SERVICES.startTraining);
const { logger, metrics, tracer } = observability;
const config = parseStartTrainingConfig(requireEnv('START_TRAINING_CONFIG'));
const deps = {
  sfn: tracer.captureAWSv3Client(new SFNClient({})),
  sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})),
  config,
  now: () => new Date(),
};

/**
 * Starts a training run on a schedule, a DriftDetected event or a manual request. A refusal (guardrail, unknown
 * model, malformed trigger) returns normally with its reason — retrying cannot change it; AWS errors are thrown, so
 * the invocation is retried and then kept in the dead-letter queue.
 */
export const handler = lambdaHandler(observability, async (event: unknown): Promise<StartOutcome | { outcome: 'invalid'; reason: string }> => {
  let parsed;
  try {
    parsed = parseTrigger(event, config.environment);
  } catch (error) {
    if (!(error instanceof InvalidTriggerError)) throw error;
    logger.error('Not a training trigger', { reason: error.message });
    return { outcome: 'invalid', reason: error.message };
  }
  metrics.addDimension(TRAINING_MODEL_DIMENSION, parsed.model);
  const outcome = await startRun(deps, parsed);
  logger.info(`Training ${outcome.outcome}`, { ...outcome, trigger: parsed.trigger });
  if (outcome.outcome === 'started') metrics.addMetric(START_TRAINING_METRICS.runsStarted, MetricUnit.Count, 1);
  if (outcome.outcome === 'duplicate') metrics.addMetric(START_TRAINING_METRICS.duplicateTriggers, MetricUnit.Count, 1);
  if (outcome.outcome === 'refused') metrics.addMetric(START_TRAINING_METRICS.runsRefused, MetricUnit.Count, 1);
  if (outcome.outcome !== 'duplicate' && outcome.gpuHoursThisMonth !== undefined)
    metrics.addMetric(START_TRAINING_METRICS.gpuHoursThisMonth, MetricUnit.Count, outcome.gpuHoursThisMonth);
  return outcome;
});
