import * as path from 'node:path';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DRIFT_BASELINE_FILE, DRIFT_DETECTOR_ENV, DRIFT_DETECTOR_SERVICE, DRIFT_DIMENSIONS, DRIFT_METRICS } from '../../lib/drift';
import { DRIFT_DETECTED_DETAIL_TYPE, PLATFORM_EVENT_SOURCE } from '../../lib/events';
import { DRIFT_DETECTOR_STATE_PREFIX, INFERENCE_CAPTURE_PREFIX, LAYOUT_ENVIRONMENT, MODEL_ARTIFACTS_PREFIX } from '../../lib/lakehouse';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics-namespace';
import { grantListBucket, grantObjectRead, grantObjectWrite, PlatformFunction } from '../functions';
import { DESCRIBE_PACKAGE_ACTIONS } from '../model-registry/registry-perms';
import { pascalCase } from '../shared/construct-id';
import type { IQueueAlarms } from '../operations';
import { platformMetric } from '../operations/emitted-metrics';
import type { DriftDetectionProps } from './drift-detection-props';
import { validateDriftDetectionProps } from './validate-drift-detection-props';

const LAMBDAS = path.join(__dirname, '..', '..', 'lambdas');

/**
 * Closes the MLOps loop: a scheduled `drift-detector` function compares each model version's captured inputs with its
 * training baseline (PSI and KS per feature), publishes the figures as metrics, and puts `DriftDetected` on EventBridge
 * when a threshold is crossed; a rule hands those events to the retraining function, and one alarm per model fires
 * when a run finds drift.
 */
export class DriftDetection extends Construct {
  /**
   * Capture records of `model` the detector could not read (bad JSON, wrong tensor shape), sum per 5 minutes by
   * default. Static: the figure carries the `service` and `model` dimensions, not the detector's name.
   */
  static metricCaptureRecordsRejected(model: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return platformMetric(
      { namespace: METRICS_NAMESPACE, service: DRIFT_DETECTOR_SERVICE, metricName: DRIFT_METRICS.captureRecordsRejected },
      { [DRIFT_DIMENSIONS.model]: model },
      { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props },
    );
  }

  readonly detector: PlatformFunction;
  readonly scheduleRule: events.Rule;
  readonly schedule: Duration;
  readonly eventBus: events.IEventBus;
  /** Every `DriftDetected` of this environment; created by `retrainFunction` or `addRetrainTarget()`. */
  retrainRule?: events.Rule;
  /** One per model, by model name: `DriftFeaturesDrifted` ≥ 1 in a schedule period. */
  readonly alarms: ReadonlyMap<string, cloudwatch.Alarm>;
  private readonly environmentName: string;

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);
    this.schedule = props.schedule ?? Duration.minutes(60);
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.environmentName = props.environmentName;
    validateDriftDetectionProps(props, this.schedule);
    const { lakehouse, modelRepository, modelRegistry } = props;

    // Streams one gzip file at a time; memory holds one line and the per-feature counters (bounded by the baselines).
    this.detector = new PlatformFunction(this, 'Detector', {
      entry: path.join(LAMBDAS, 'drift-detector', 'handler.ts'),
      description: 'Inference capture vs training baseline: PSI and KS per feature -> metrics, DriftDetected',
      memorySize: 1024,
      timeout: Duration.minutes(15),
      // One run at a time: runs advance per-version watermarks.
      reservedConcurrentExecutions: 1,
      retryAttempts: 2,
      vpc: props.vpc,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      environment: {
        [DRIFT_DETECTOR_ENV.environmentName]: props.environmentName,
        [DRIFT_DETECTOR_ENV.models]: JSON.stringify(props.models),
        [DRIFT_DETECTOR_ENV.scheduleMinutes]: String(this.schedule.toMinutes()),
        [DRIFT_DETECTOR_ENV.silverBucket]: lakehouse.silverBucket.bucketName,
        [DRIFT_DETECTOR_ENV.modelRepositoryBucket]: modelRepository.bucket.bucketName,
        [LAYOUT_ENVIRONMENT.modelRepositoryPrefix]: modelRepository.prefix,
        [DRIFT_DETECTOR_ENV.modelPackageArnPrefix]: `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:model-package/${modelRegistry.groupNamePrefix}`,
        [DRIFT_DETECTOR_ENV.eventBusName]: this.eventBus.eventBusName,
      },
    });
    const role = this.detector.role;
    const silver = (keyPattern: string) => ({ bucket: lakehouse.silverBucket, encryptionKey: lakehouse.encryptionKey, keyPattern });
    grantObjectRead(role, silver(`${INFERENCE_CAPTURE_PREFIX}*`));
    grantObjectRead(role, silver(`${DRIFT_DETECTOR_STATE_PREFIX}*`));
    grantObjectWrite(role, silver(`${DRIFT_DETECTOR_STATE_PREFIX}*`));
    // Lists capture partitions; a missing watermark or marker must read as 404, not 403.
    grantListBucket(role, lakehouse.silverBucket);
    const repositoryBaselines = `${modelRepository.prefix}*/${DRIFT_BASELINE_FILE}`;
    grantObjectRead(role, { bucket: modelRepository.bucket, encryptionKey: modelRepository.encryptionKey, keyPattern: repositoryBaselines });
    grantListBucket(role, modelRepository.bucket);
    grantObjectRead(role, { bucket: lakehouse.goldBucket, encryptionKey: lakehouse.encryptionKey, keyPattern: `${MODEL_ARTIFACTS_PREFIX}*` });
    grantListBucket(role, lakehouse.goldBucket);
    // Describe only the drift-checked models' packages, not every group of the registry.
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: DESCRIBE_PACKAGE_ACTIONS,
      resourceArns: props.models.map((model) => modelRegistry.packageArnPattern(model.name)),
    });
    this.eventBus.grantPutEventsTo(role);
    const objects: ReadonlyArray<readonly [string, string]> = [
      [
        lakehouse.silverBucket.arnForObjects(`${INFERENCE_CAPTURE_PREFIX}*`),
        'it reads the capture files the serving containers write under inference-capture/',
      ],
      [
        lakehouse.silverBucket.arnForObjects(`${DRIFT_DETECTOR_STATE_PREFIX}*`),
        'it reads and writes its watermark and detection marker per model version under drift-detector/',
      ],
      [modelRepository.bucket.arnForObjects(repositoryBaselines), 'it reads the drift-baseline.json beside each model version'],
      [
        lakehouse.goldBucket.arnForObjects(`${MODEL_ARTIFACTS_PREFIX}*`),
        'it reads the baseline a model package registers in DriftCheckBaselines, under model-artifacts/ where training writes',
      ],
    ];
    for (const [resource, why] of objects) {
      this.detector.acknowledgeWildcardResource(
        resource,
        `Object keys are only known at run time: ${why}. The pattern names the bucket and the narrowest prefix.`,
      );
    }
    for (const model of props.models) {
      this.detector.acknowledgeWildcardResource(
        modelRegistry.packageArnPattern(model.name),
        `DescribeModelPackage on the versions of the ${modelRegistry.groupName(model.name)} group, to find a served version's registered baseline: ` +
          'SageMaker numbers versions as they are registered, so the ARN names the group and leaves the version open.',
      );
    }

    this.scheduleRule = new events.Rule(this, 'Schedule', {
      description: `Runs the ${Stack.of(this).stackName} drift detector every ${this.schedule.toMinutes()} minutes`,
      schedule: events.Schedule.rate(this.schedule),
    });
    this.scheduleRule.addTarget(new targets.LambdaFunction(this.detector.function, { deadLetterQueue: this.detector.deadLetterQueue, retryAttempts: 2 }));

    const alarms = new Map<string, cloudwatch.Alarm>();
    for (const model of props.models) {
      const alarm = new cloudwatch.Alarm(this, `DriftAlarm${pascalCase(model.name)}`, {
        alarmDescription:
          `Input drift on ${model.name} (${props.environmentName}): a feature's PSI reached ${model.psiThreshold} or its KS statistic ${model.ksStatistic}. ` +
          'DriftDetected was emitted and retraining starts; see the DriftPsi / DriftKsStatistic metrics and the detector log for the features.',
        metric: this.metricFeaturesDrifted(model.name),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmAction) alarm.addAlarmAction(props.alarmAction);
      alarms.set(model.name, alarm);
    }
    this.alarms = alarms;

    if (props.retrainFunction) this.addRetrainTarget(props.retrainFunction);
  }

  /** Alarms on the detector's dead-letter queue (failed runs, undeliverable DriftDetected events). */
  addAlarms(alerts: IQueueAlarms): readonly cloudwatch.Alarm[] {
    return alerts.watchDeadLetterQueue(this.detector.deadLetterQueue, `Drift detector failures (${Stack.of(this).stackName})`);
  }

  /** Notifies `action` from every drift alarm. */
  addAlarmAction(action: cloudwatch.IAlarmAction): void {
    for (const alarm of this.alarms.values()) alarm.addAlarmAction(action);
  }

  /** Sends every `DriftDetected` of this environment to `fn` (once; creates the rule). */
  addRetrainTarget(fn: lambda.IFunction): events.Rule {
    this.retrainRule ??= new events.Rule(this, 'RetrainRule', {
      description: `DriftDetected in ${this.environmentName} -> retraining`,
      eventBus: this.eventBus,
      eventPattern: { source: [PLATFORM_EVENT_SOURCE], detailType: [DRIFT_DETECTED_DETAIL_TYPE], detail: { environment: [this.environmentName] } },
    });
    this.retrainRule.addTarget(
      new targets.LambdaFunction(fn, { deadLetterQueue: this.detector.deadLetterQueue, maxEventAge: Duration.hours(24), retryAttempts: 185 }),
    );
    return this.retrainRule;
  }

  /** Features over a threshold per run (Maximum over the schedule period), for one model. */
  metricFeaturesDrifted(model: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRIFT_METRICS.featuresDrifted, { [DRIFT_DIMENSIONS.model]: model }, props);
  }

  /** PSI of one feature of one model version (Maximum over the schedule period). */
  metricPsi(model: string, version: string, feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRIFT_METRICS.psi, { [DRIFT_DIMENSIONS.model]: model, [DRIFT_DIMENSIONS.version]: version, [DRIFT_DIMENSIONS.feature]: feature }, props);
  }

  /** KS statistic D of one feature of one model version (Maximum over the schedule period). */
  metricKsStatistic(model: string, version: string, feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(
      DRIFT_METRICS.ksStatistic,
      { [DRIFT_DIMENSIONS.model]: model, [DRIFT_DIMENSIONS.version]: version, [DRIFT_DIMENSIONS.feature]: feature },
      props,
    );
  }

  /** A detector figure (Maximum over the schedule period by default), with the `service` dimension Powertools adds. */
  private metric(metricName: string, dimensions: Record<string, string>, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const options = { statistic: 'Maximum', period: this.schedule, ...props };
    return platformMetric({ namespace: METRICS_NAMESPACE, service: DRIFT_DETECTOR_SERVICE, metricName }, dimensions, options);
  }
}
