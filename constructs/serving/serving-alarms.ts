import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeAlarmWithoutAction } from './serving-findings';

/** Every serving alarm looks at one-minute buckets and fires after two bad ones in a row. */
const PERIOD = Duration.minutes(1);
const EVALUATION_PERIODS = 2;

export interface ErrorRateAlarmProps {
  /** Failed requests; summed per minute. */
  readonly errors: cloudwatch.Metric;
  /** All requests; summed per minute. */
  readonly requests: cloudwatch.Metric;
  /**
   * The name the expression gives `requests`, after what the target counts (e.g. `invocations`).
   * @default 'requests'
   */
  readonly requestsName?: string;
  /** Share of requests (percent) that may fail before the alarm fires. */
  readonly thresholdPercent: number;
  readonly alarmDescription: string;
}

/** Percentage of failed requests (`100 * errors / MAX([requests, 1])`); a minute without requests is not breaching. */
export function createErrorRateAlarm(scope: Construct, id: string, props: ErrorRateAlarmProps): cloudwatch.Alarm {
  const requestsName = props.requestsName ?? 'requests';
  const errorRate = new cloudwatch.MathExpression({
    expression: `100 * errors / MAX([${requestsName}, 1])`,
    usingMetrics: {
      errors: props.errors.with({ statistic: 'Sum', period: PERIOD }),
      [requestsName]: props.requests.with({ statistic: 'Sum', period: PERIOD }),
    },
    label: 'Error rate (%)',
    period: PERIOD,
  });
  return errorRate.createAlarm(scope, id, {
    alarmDescription: props.alarmDescription,
    threshold: props.thresholdPercent,
    evaluationPeriods: EVALUATION_PERIODS,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

export interface LatencyAlarmProps {
  /** A latency metric; the alarm reads its p99 per minute. */
  readonly latency: cloudwatch.Metric;
  /** The unit the metric is published in: the objective is converted to it. */
  readonly latencyUnit: 'milliseconds' | 'seconds';
  /** p99 above which the alarm fires. */
  readonly objective: Duration;
  readonly alarmDescription: string;
}

/** p99 latency above an objective, in the metric's own unit; a minute without requests is not breaching. */
export function createLatencyAlarm(scope: Construct, id: string, props: LatencyAlarmProps): cloudwatch.Alarm {
  const objectiveMs = props.objective.toMilliseconds();
  return props.latency.with({ statistic: 'p99', period: PERIOD }).createAlarm(scope, id, {
    alarmDescription: props.alarmDescription,
    threshold: props.latencyUnit === 'seconds' ? objectiveMs / 1000 : objectiveMs,
    evaluationPeriods: EVALUATION_PERIODS,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/**
 * Sends the alarms to `alarmAction` when there is one; otherwise records, on each alarm, that `consumer` (the
 * deployment that rolls back on it) is its only reader.
 */
export function routeServingAlarms(alarms: readonly cloudwatch.Alarm[], alarmAction: cloudwatch.IAlarmAction | undefined, consumer: string): void {
  for (const alarm of alarms) {
    if (alarmAction) alarm.addAlarmAction(alarmAction);
    else acknowledgeAlarmWithoutAction(alarm, consumer);
  }
}

export function validateErrorRateThresholdPercent(constructName: string, thresholdPercent: number): void {
  if (!(thresholdPercent > 0 && thresholdPercent <= 100)) {
    throw new InvalidPropError(constructName, 'errorRateThresholdPercent', thresholdPercent, 'a percentage above 0 and at most 100');
  }
}
