import type { Duration, RemovalPolicy } from 'aws-cdk-lib';

export interface OperationsAlertsProps {
  /**
   * Email addresses subscribed to the alert topic. Each receives a confirmation mail from SNS on deploy.
   * @default - no subscription; subscribe a pager or chat integration to `topic` yourself
   */
  readonly emailSubscribers?: readonly string[];

  /**
   * How long a message may wait in a watched dead-letter queue before its alarm is also raised by age, besides the
   * "any message" alarm (a reminder that a failure is still unhandled).
   * @default Duration.days(1)
   */
  readonly deadLetterAgeThreshold?: Duration;

  /**
   * Removal policy of the topic's KMS key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
