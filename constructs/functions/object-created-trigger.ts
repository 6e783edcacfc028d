import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OBJECT_CREATED_DETAIL_TYPE, S3_EVENT_SOURCE } from '../../lib/events/s3-object-created';
import { InvalidPropError } from '../shared/prop-validation';
import type { ObjectCreatedTriggerProps } from './object-created-trigger-props';

const NAME = 'ObjectCreatedTrigger';
/** AWS's advice for SQS event sources: a visibility timeout of six times the function timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;
const MAX_VISIBILITY_TIMEOUT = Duration.hours(12);

/**
 * S3 `Object Created` (EventBridge) → encrypted SQS queue → function, with partial batch failure reporting.
 * A message the function fails is redelivered until `maxReceiveCount`, then moves to the function's dead-letter
 * queue, which also takes events EventBridge could not deliver: nothing is dropped silently.
 */
export class ObjectCreatedTrigger extends Construct {
  readonly rule: events.Rule;
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ObjectCreatedTriggerProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const batchSize = props.batchSize ?? 1;
    const reserved = props.target.reservedConcurrentExecutions;
    const maxConcurrency = props.maxConcurrency ?? Math.max(2, reserved);
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    const timeout = props.target.timeout;
    const visibilityTimeout = Duration.seconds(Math.min(timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR, MAX_VISIBILITY_TIMEOUT.toSeconds()));
    validate({ maxReceiveCount, batchSize, maxConcurrency, reserved, keyPrefix: props.keyPrefix });

    const deadLetterQueue = props.target.deadLetterQueue;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.target.encryptionKey,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: `S3 Object Created${props.keyPrefix ? ` under ${props.keyPrefix}` : ''} -> queue -> ${props.target.node.path}`,
      eventPattern: {
        source: [S3_EVENT_SOURCE],
        detailType: [OBJECT_CREATED_DETAIL_TYPE],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          ...(props.keyPrefix ? { object: { key: events.Match.prefix(props.keyPrefix) } } : {}),
        },
      },
    });
    this.rule.addTarget(new targets.SqsQueue(this.queue, { deadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) }));

    props.target.function.addEventSource(new eventSources.SqsEventSource(this.queue, { batchSize, maxConcurrency, reportBatchItemFailures: true }));
  }

  /** Seconds the oldest object event has waited in the queue (maximum per 5 minutes by default): the backlog. */
  metricOldestMessageAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5), ...props });
  }
}

function validate(values: { maxReceiveCount: number; batchSize: number; maxConcurrency: number; reserved: number; keyPrefix?: string }): void {
  const { maxReceiveCount, batchSize, maxConcurrency, reserved, keyPrefix } = values;
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw new InvalidPropError(NAME, 'maxReceiveCount', maxReceiveCount, 'an integer from 1 to 1000');
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new InvalidPropError(NAME, 'batchSize', batchSize, 'an integer from 1 to 10');
  }
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > Math.max(2, reserved)) {
    throw new InvalidPropError(NAME, 'maxConcurrency', maxConcurrency, `an integer from 2 to the function's reserved concurrency (${reserved})`);
  }
  if (keyPrefix !== undefined && keyPrefix.length === 0) {
    throw new InvalidPropError(NAME, 'keyPrefix', keyPrefix, 'a non-empty key prefix, or leave it out for every object');
  }
}
