import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { TRAINING_MODEL_DIMENSION, TRAINING_SERVICES, TRAINING_STEP_METRICS } from '../../lib/training';
import { requireEnv } from '../shared/env';
import { lambdaHandler } from '../shared/handler-template';
import { createObservability } from '../shared/powertools';
import { evaluateEventSchema, evaluateRun, type EvaluationResult } from './evaluate-run';
import { parsePipelineConfig } from './pipeline-config';
import { validateInput, type ValidationResult } from './validate-input';

const observability = createObservability(TRAINING_SERVICES.trainingSteps);
const { logger, metrics, tracer } = observability;
const config = parsePipelineConfig(requireEnv('PIPELINE_CONFIG'));
const s3 = tracer.captureAWSv3Client(new S3Client({}));

const eventSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('validate'), input: z.unknown() }),
  z.object({ step: z.literal('evaluate') }).extend(evaluateEventSchema.shape),
]);

/** The training state machine's two checks: `validate` (before any GPU starts) and `evaluate` (the gate). */
export const handler = lambdaHandler(observability, async (event: unknown): Promise<ValidationResult | EvaluationResult> => {
  metrics.addDimension(TRAINING_MODEL_DIMENSION, config.model);
  const parsed = eventSchema.parse(event);
  if (parsed.step === 'validate') {
    const result = await validateInput(s3, config, parsed.input);
    if (!result.valid) {
      logger.error('Training input refused', { problems: result.problems });
      metrics.addMetric(TRAINING_STEP_METRICS.invalidInputs, MetricUnit.Count, 1);
    }
    return result;
  }
  const result = await evaluateRun(s3, config, parsed);
  logger.info(result.passed ? 'Evaluation gate passed' : 'Evaluation gate failed', { reason: result.reason, run: parsed.validation.runId });
  metrics.addMetric(result.passed ? TRAINING_STEP_METRICS.gatePasses : TRAINING_STEP_METRICS.gateFailures, MetricUnit.Count, 1);
  return result;
});
