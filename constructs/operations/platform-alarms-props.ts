import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Alarm thresholds of one dataset. */
export interface DatasetAlarmThresholds {
  /** Share (0-1) of an hour's ingested rows quarantined above which the alarm fires. */
  readonly quarantineRatioThreshold: number;
  /** Hours without a new silver object after which the freshness alarm fires (1-168). */
  readonly silverFreshnessHours: number;
}

export interface PlatformAlarmsProps {
  /** Where every alarm notifies (the environment's alert topic). */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** Datasets that land in bronze (contract names), with their thresholds. */
  readonly datasets: Readonly<Record<string, DatasetAlarmThresholds>>;
  /** Feature groups that materialize-features writes. */
  readonly featureGroups: readonly string[];
  /** Models served on Lambda (their adapter publishes EMF): model-load failures are alarmed from CloudWatch. */
  readonly lambdaModels: readonly string[];
  /** Models whose inference capture the drift detector reads: unreadable capture records are alarmed. */
  readonly driftModels: readonly string[];

  /**
   * Period of the "any failure" alarms (rejected packages, failed records...).
   * @default Duration.minutes(5)
   */
  readonly failurePeriod?: Duration;
}
