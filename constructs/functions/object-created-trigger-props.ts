import type { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { PlatformFunction } from './platform-function';

export interface ObjectCreatedTriggerProps {
  /** Bucket whose `Object Created` events (EventBridge notifications on) start the function. */
  readonly bucket: s3.IBucket;

  /** The function that processes one object per message; its dead-letter queue receives what it cannot process. */
  readonly target: PlatformFunction;

  /**
   * Only objects whose key starts with this prefix.
   * @default - every object of the bucket
   */
  readonly keyPrefix?: string;

  /**
   * Receives before a message moves to the function's dead-letter queue (transient errors retry until then).
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Messages per invocation (1-10); 1 gives every object the whole function timeout.
   * @default 1
   */
  readonly batchSize?: number;

  /**
   * Concurrent invocations the queue may drive (2-1000); at most the function's reserved concurrency, so SQS is never
   * throttled into counting receives.
   * @default - the function's reserved concurrency (at least 2)
   */
  readonly maxConcurrency?: number;

  /**
   * How long an object event may wait in the queue.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
}
