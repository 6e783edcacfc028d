import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, SQSRecord } from 'aws-lambda';
import { lambdaHandler, sqsBatchHandler } from '../../../../lambdas/shared/handler-template';

const context = {
  functionName: 'template-test',
  functionVersion: '$LATEST',
  memoryLimitInMB: '256',
  awsRequestId: 'req-42',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:template-test',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

function observability() {
  return {
    logger: new Logger({ serviceName: 'template-test' }),
    metrics: new Metrics({ namespace: 'TemplateTest', serviceName: 'template-test' }),
    tracer: new Tracer({ serviceName: 'template-test' }),
  };
}

/** Every JSON line the function printed: Powertools' log lines and EMF documents (both go to stdout). */
let printed: Record<string, unknown>[];
beforeEach(() => {
  printed = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) printed.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
});
afterEach(() => jest.restoreAllMocks());

const emf = (name: string) => printed.filter((line) => '_aws' in line && name in line);
const logLine = (message: string) => printed.find((line) => line.message === message);

describe('lambdaHandler (the handler template)', () => {
  it('adds the Lambda context to log lines and publishes the metrics when the handler returns', async () => {
    const obs = observability();
    const handler = lambdaHandler(obs, async (event: { n: number }) => {
      obs.logger.info('handled', { n: event.n });
      obs.metrics.addMetric('Handled', MetricUnit.Count, 1);
      return { doubled: event.n * 2 };
    });

    await expect(handler({ n: 21 }, context)).resolves.toEqual({ doubled: 42 });

    expect(logLine('handled')).toMatchObject({ n: 21, function_request_id: 'req-42', function_name: 'template-test', service: 'template-test' });
    expect(emf('Handled')).toEqual([expect.objectContaining({ Handled: 1, service: 'template-test' })]);
  });

  it('still publishes the metrics, with the context on its logs, when the handler throws, and rethrows the error', async () => {
    const obs = observability();
    const failure = new Error('S3 is down');
    const handler = lambdaHandler(obs, async () => {
      obs.metrics.addMetric('Attempted', MetricUnit.Count, 1);
      obs.logger.warn('about to fail');
      throw failure;
    });

    await expect(handler({}, context)).rejects.toBe(failure);

    expect(logLine('about to fail')).toMatchObject({ function_request_id: 'req-42' });
    expect(emf('Attempted')).toEqual([expect.objectContaining({ Attempted: 1 })]);
  });

  it('publishes only what each invocation added (nothing carries over to the next)', async () => {
    const obs = observability();
    const handler = lambdaHandler(obs, async (event: { count: boolean }) => {
      if (event.count) obs.metrics.addMetric('Counted', MetricUnit.Count, 1);
    });
    await handler({ count: true }, context);
    await handler({ count: false }, context);
    expect(emf('Counted')).toHaveLength(1);
  });
});

describe('lambdaHandler tracing (X-Ray, as Lambda runs it with active tracing)', () => {
  /** A Tracer that believes it runs in Lambda, over a stand-in for the X-Ray segment Lambda opens. */
  function tracedObservability() {
    const obs = observability();
    const handlerSegment = { name: '', close: jest.fn() };
    const lambdaSegment = { addNewSubsegment: jest.fn((name: string) => Object.assign(handlerSegment, { name })) };
    jest.spyOn(obs.tracer, 'isTracingEnabled').mockReturnValue(true);
    jest.spyOn(obs.tracer, 'getSegment').mockReturnValue(lambdaSegment as never);
    const setSegment = jest.spyOn(obs.tracer, 'setSegment').mockImplementation(() => undefined);
    const spies = {
      annotateColdStart: jest.spyOn(obs.tracer, 'annotateColdStart').mockImplementation(() => undefined),
      addServiceNameAnnotation: jest.spyOn(obs.tracer, 'addServiceNameAnnotation').mockImplementation(() => undefined),
      addResponseAsMetadata: jest.spyOn(obs.tracer, 'addResponseAsMetadata').mockImplementation(() => undefined),
      addErrorAsMetadata: jest.spyOn(obs.tracer, 'addErrorAsMetadata').mockImplementation(() => undefined),
    };
    return { obs, handlerSegment, lambdaSegment, setSegment, ...spies };
  }

  it('runs the handler in its own subsegment, annotated with cold start and service, with the response as metadata', async () => {
    const traced = tracedObservability();
    await lambdaHandler(traced.obs, async () => ({ ok: true }))({}, context);
    expect(traced.lambdaSegment.addNewSubsegment).toHaveBeenCalledTimes(1);
    expect(traced.setSegment.mock.calls.map(([segment]) => segment)).toEqual([traced.handlerSegment, traced.lambdaSegment]);
    expect(traced.annotateColdStart).toHaveBeenCalled();
    expect(traced.addServiceNameAnnotation).toHaveBeenCalled();
    expect(traced.addResponseAsMetadata).toHaveBeenCalledWith({ ok: true }, undefined);
    expect(traced.handlerSegment.close).toHaveBeenCalledTimes(1);
  });

  it('records the error on the subsegment and closes it when the handler throws', async () => {
    const traced = tracedObservability();
    const failure = new Error('boom');
    await expect(lambdaHandler(traced.obs, () => Promise.reject(failure))({}, context)).rejects.toBe(failure);
    expect(traced.addErrorAsMetadata).toHaveBeenCalledWith(failure);
    expect(traced.handlerSegment.close).toHaveBeenCalledTimes(1);
  });
});

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'events', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:template-test',
    awsRegion: 'us-east-1',
  };
}

describe('sqsBatchHandler (the template for SQS sources with ReportBatchItemFailures)', () => {
  it('reports the failed messages, handles one message at a time, and publishes the metrics', async () => {
    const obs = observability();
    let running = 0;
    let mostAtOnce = 0;
    const handler = sqsBatchHandler(obs, async (record) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      obs.metrics.addMetric('Seen', MetricUnit.Count, 1);
      if (record.body === 'bad') throw new Error('poison');
    });

    const response = await handler({ Records: [sqsRecord('m-1', 'good'), sqsRecord('m-2', 'bad'), sqsRecord('m-3', 'good')] }, context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect(mostAtOnce).toBe(1);
    expect(emf('Seen')).toEqual([expect.objectContaining({ Seen: [1, 1, 1] })]);
  });

  it('fails the invocation when every message failed (the default), still publishing the metrics', async () => {
    const obs = observability();
    const handler = sqsBatchHandler(obs, async () => {
      obs.metrics.addMetric('Seen', MetricUnit.Count, 1);
      throw new Error('poison');
    });
    await expect(handler({ Records: [sqsRecord('m-1', 'bad')] }, context)).rejects.toThrow(/All records failed processing/);
    expect(emf('Seen')).toEqual([expect.objectContaining({ Seen: 1 })]);
  });

  it('returns every message as an item failure instead when throwOnFullBatchFailure is false', async () => {
    const handler = sqsBatchHandler(
      observability(),
      async () => {
        throw new Error('poison');
      },
      { throwOnFullBatchFailure: false },
    );
    await expect(handler({ Records: [sqsRecord('m-1', 'bad'), sqsRecord('m-2', 'bad')] }, context)).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }],
    });
  });
});
