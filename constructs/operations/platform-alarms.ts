import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DriftDetection } from '../drift/drift-detection';
import { FeatureMaterialization } from '../functions/feature-materialization';
import { Ingestion } from '../functions/ingestion';
import { ModelPromotion } from '../functions/model-promotion';
import { LambdaServing } from '../serving/lambda-serving';
import { pascalCase as constructIdOf } from '../shared/construct-id';
import { InvalidPropError } from '../shared/prop-validation';
import type { PlatformAlarmsProps } from './platform-alarms-props';

const NAME = 'PlatformAlarms';

/** One alarm and the failure path it watches, as the audit report lists it. */
export interface FailurePathAlarm {
  readonly failurePath: string;
  readonly alarm: cloudwatch.Alarm;
}

/**
 * CloudWatch alarms on the failures the platform's code counts, each notifying the alert topic: quarantine ratio and
 * silver freshness per dataset, poison ingest messages, feature records rejected or not written per feature group,
 * rejected model packages, model-load failures of Lambda-served models, unreadable inference-capture records. Every
 * metric comes from the owning construct's static `metricXxx()` (`Ingestion.metricRowsQuarantined` ...): those figures
 * carry no function name, so the alarms need neither the functions nor their stacks.
 */
export class PlatformAlarms extends Construct {
  readonly alarms: FailurePathAlarm[] = [];
  private readonly alarmAction: cloudwatch.IAlarmAction;
  private readonly failurePeriod: Duration;

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    this.alarmAction = props.alarmAction;
    this.failurePeriod = props.failurePeriod ?? Duration.minutes(5);
    for (const [dataset, thresholds] of Object.entries(props.datasets)) {
      if (!(thresholds.quarantineRatioThreshold > 0 && thresholds.quarantineRatioThreshold < 1)) {
        throw new InvalidPropError(NAME, `datasets.${dataset}.quarantineRatioThreshold`, thresholds.quarantineRatioThreshold, 'a share above 0 and below 1');
      }
      if (!Number.isInteger(thresholds.silverFreshnessHours) || thresholds.silverFreshnessHours < 1 || thresholds.silverFreshnessHours > 168) {
        throw new InvalidPropError(
          NAME,
          `datasets.${dataset}.silverFreshnessHours`,
          thresholds.silverFreshnessHours,
          'whole hours from 1 to 168 (CloudWatch evaluates at most 7 days)',
        );
      }
      this.datasetAlarms(dataset, thresholds.quarantineRatioThreshold, thresholds.silverFreshnessHours);
    }
    const failures = { statistic: cloudwatch.Stats.SUM, period: this.failurePeriod };
    this.anyFailure('IngestPoisonMessages', 'ingest: messages that are not a bronze object event', Ingestion.metricPoisonMessages(failures));
    for (const featureGroup of props.featureGroups) {
      const id = constructIdOf(featureGroup);
      this.anyFailure(
        `${id}RecordsFailed`,
        `materialize-features: records of ${featureGroup} not written after every retry`,
        FeatureMaterialization.metricRecordsFailed(featureGroup, failures),
      );
      this.anyFailure(
        `${id}RecordsRejected`,
        `materialize-features: rows ${featureGroup} refused (see the failure report)`,
        FeatureMaterialization.metricRecordsRejected(featureGroup, failures),
      );
    }
    this.anyFailure(
      'ModelPackagesRejected',
      'promote-model: an approved model package was rejected and will not be served',
      ModelPromotion.metricPackagesRejected(failures),
    );
    for (const model of props.lambdaModels) {
      const metric = LambdaServing.metricModelLoadFailures(model, failures);
      this.anyFailure(
        `${constructIdOf(model)}ModelLoadFailures`,
        `serving (Lambda): a version of ${model} failed to load; the previous one keeps serving`,
        metric,
      );
    }
    for (const model of props.driftModels) {
      const metric = DriftDetection.metricCaptureRecordsRejected(model, failures);
      this.anyFailure(`${constructIdOf(model)}CaptureRecordsRejected`, `drift-detector: inference-capture records of ${model} that could not be read`, metric);
    }
  }

  private datasetAlarms(dataset: string, ratioThreshold: number, freshnessHours: number): void {
    const id = constructIdOf(dataset);
    const hour = { period: Duration.hours(1), statistic: cloudwatch.Stats.SUM };
    const ratio = new cloudwatch.MathExpression({
      expression: 'IF(rowsIn > 0, quarantined / rowsIn, 0)',
      usingMetrics: {
        quarantined: Ingestion.metricRowsQuarantined(dataset, hour),
        rowsIn: Ingestion.metricRowsIn(dataset, hour),
      },
      label: `${dataset} quarantine ratio`,
      period: Duration.hours(1),
    });
    this.record(
      `ingest: more than ${ratioThreshold * 100}% of ${dataset} rows quarantined in an hour`,
      ratio.createAlarm(this, `${id}QuarantineRatio`, {
        alarmDescription: `${dataset}: over ${ratioThreshold * 100}% of the rows ingested in the last hour were quarantined; read the quarantine reasons.`,
        threshold: ratioThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    // No ingested object for `freshnessHours` hours: no data counts as breaching, since silence is the failure.
    this.record(
      `ingest: no new silver ${dataset} object for ${freshnessHours} h`,
      Ingestion.metricObjectsIngested(dataset, hour).createAlarm(this, `${id}SilverFreshness`, {
        alarmDescription: `${dataset}: no object ingested to silver for ${freshnessHours} hours; check the producer and the ingest function.`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: freshnessHours,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
  }

  /** At least one failure in a period fires; a period without the metric is fine. */
  private anyFailure(id: string, failurePath: string, metric: cloudwatch.Metric): void {
    this.record(
      failurePath,
      metric.createAlarm(this, id, {
        alarmDescription: `${failurePath}.`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private record(failurePath: string, alarm: cloudwatch.Alarm): void {
    alarm.addAlarmAction(this.alarmAction);
    this.alarms.push({ failurePath, alarm });
  }
}
