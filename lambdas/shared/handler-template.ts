import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Observability } from './powertools';

/**
 * The template of every platform function. `handle` is the function's own part, in three steps: parse the event
 * (zod / Powertools parser; a named error when it is not what the function expects), call the pure domain code, and
 * respond (map outcomes and named errors to logs, metrics and the return value). The Powertools middlewares do the
 * rest for every invocation: the Lambda context on each log line, a traced handler segment (cold start, errors), and
 * the stored metrics published after it, whether it returned or threw.
 */
export function lambdaHandler<TEvent, TResult>(observability: Observability, handle: (event: TEvent, context: Context) => Promise<TResult>) {
  const { logger, metrics, tracer } = observability;
  return middy(handle).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

export interface SqsBatchOptions {
  /**
   * Whether a batch whose every message failed fails the invocation (true) or returns them all as item failures.
   * SQS redelivers the failed messages either way.
   * @default true
   */
  readonly throwOnFullBatchFailure?: boolean;
}

/**
 * The template for an SQS event source with ReportBatchItemFailures: `handleRecord` parses and handles one message
 * and throws to have it redelivered (and, after the queue's maxReceiveCount, moved to the dead-letter queue).
 * Messages are handled one at a time, so memory stays that of one message whatever the batch size.
 */
export function sqsBatchHandler(observability: Observability, handleRecord: (record: SQSRecord) => Promise<void>, options: SqsBatchOptions = {}) {
  const processor = new BatchProcessor(EventType.SQS);
  return lambdaHandler<SQSEvent, SQSBatchResponse>(observability, (event, context) =>
    processPartialResponse(event, handleRecord, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: options.throwOnFullBatchFailure ?? true,
    }),
  );
}
