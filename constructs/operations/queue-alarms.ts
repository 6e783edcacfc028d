import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * What a construct hands its queues to for alarms (`Ingestion.addAlarms(alerts)`): `OperationsAlerts` is one; a team
 * with its own alerting implements these two methods.
 */
export interface IQueueAlarms {
  /** Alarms when a failure lands in (and when it stays in) a dead-letter queue. */
  watchDeadLetterQueue(queue: sqs.IQueue, description: string): readonly cloudwatch.Alarm[];
  /** Alarms when the oldest message of a work queue is older than `maxAge`: the consumer is falling behind. */
  watchBacklog(queue: sqs.IQueue, description: string, maxAge: Duration): cloudwatch.Alarm;
}
