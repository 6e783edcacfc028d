import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

/**
 * What a construct hands its queues to for alarms (`Ingestion.addAlarms(alerts)`): `OperationsAlerts` is one; a team
 * with its own alerting implements these methods.
 */
export interface IQueueAlarms {
  /** Alarms when a failure lands in (and when it stays in) a dead-letter queue. */
  watchDeadLetterQueue(queue: sqs.IQueue, description: string): readonly cloudwatch.Alarm[];
  /** Alarms when the oldest message of a work queue is older than `maxAge`: the consumer is falling behind. */
  watchBacklog(queue: sqs.IQueue, description: string, maxAge: Duration): cloudwatch.Alarm;
  /**
   * Alarms when a count metric (an event a function counts, e.g. a rolled-back rollout) is at least 1 in 5 minutes.
   * The alarm is created under `watched` with the given id.
   */
  watchOccurrences(watched: IConstruct, id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm;
}
