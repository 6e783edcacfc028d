import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { archiveLimitsSchema, PROMOTION_ARCHIVE_LIMITS_ENV } from '../../lib/config/promotion';
import { LAYOUT_ENVIRONMENT, MODEL_ARTIFACTS_PREFIX } from '../../lib/lakehouse';
import { PROMOTE_METRICS, PROMOTE_SERVICE } from '../../lambdas/promote-model/promote-metrics';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics-namespace';
import type { IModelRegistry, IModelRepository } from '../model-registry';
import { platformMetric } from '../operations/emitted-metrics';
import { InvalidPropError } from '../shared/prop-validation';
import { acknowledgeObjectPatterns } from './data-path-findings';
import { deploymentOptions, LAMBDAS_DIRECTORY } from './data-path-function-options';
import type { ModelPromotionProps } from './model-promotion-props';
import { grantListBucket, grantObjectCopySource } from './object-grants';
import { PlatformFunction } from './platform-function';

const NAME = 'ModelPromotion';
/** EventBridge keeps an event for at most 24 hours (PutTargets: RetryPolicy.MaximumEventAgeInSeconds). */
const EVENT_AGE = { min: Duration.minutes(1), max: Duration.hours(24) };
/** EventBridge's maximum: retries go on until `maxEventAge`, not a count. */
const EVENT_RETRY_ATTEMPTS = 185;

/**
 * Model promotion: every model package of the registry that becomes `Approved` is copied (an .onnx) or unpacked (a
 * model.tar.gz) from gold `model-artifacts/` into the serving model repository layout (`lambdas/promote-model`),
 * which the serving containers poll. Owns its function, the registry's `Approved` rule (events EventBridge cannot
 * deliver, and invocations that fail every retry, go to the dead-letter queue), the grants (copy from gold, write
 * the repository, describe the packages), the environment and the acknowledgments.
 *
 * The handler's own figures are static: they carry only the `service` dimension, not the function's name.
 */
export class ModelPromotion extends PlatformFunction {
  /** Approved packages promoted to the serving model repository (sum per 5 minutes by default). */
  static metricPackagesPromoted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return promoteMetric(PROMOTE_METRICS.packagesPromoted, props);
  }

  /** Approved packages that will not be served: failed checks or a conflicting artifact (sum per 5 minutes by default). */
  static metricPackagesRejected(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return promoteMetric(PROMOTE_METRICS.packagesRejected, props);
  }

  readonly modelRegistry: IModelRegistry;
  readonly modelRepository: IModelRepository;
  /** `Approved` model packages → this function (a child of the registry, `ApprovedRule`). */
  readonly approvedRule: events.Rule;

  constructor(scope: Construct, id: string, props: ModelPromotionProps) {
    const { modelRegistry, modelRepository, lakehouse } = props;
    const maxEventAge = props.maxEventAge ?? Duration.hours(24);
    validateEventAge(maxEventAge);
    const archiveLimits = props.archiveLimits ?? {};
    for (const [model, limits] of Object.entries(archiveLimits)) {
      const parsed = archiveLimitsSchema.safeParse(limits);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InvalidPropError(
          NAME,
          `archiveLimits.${model}.${issue.path.join('.')}`,
          limits,
          `a positive whole number of bytes or entries (${issue.message})`,
        );
      }
    }
    super(scope, id, {
      ...deploymentOptions(props),
      entry: path.join(LAMBDAS_DIRECTORY, 'promote-model', 'handler.ts'),
      description: 'Approved model package -> serving model repository layout',
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 2,
      asyncFailureHandling: 'on-failure-destination',
      retryAttempts: 2,
      environment: {
        MODEL_REPOSITORY_BUCKET: modelRepository.bucket.bucketName,
        [LAYOUT_ENVIRONMENT.modelRepositoryPrefix]: modelRepository.prefix,
        MODEL_PACKAGE_GROUPS: JSON.stringify(modelRegistry.modelNamesByGroup()),
        [PROMOTION_ARCHIVE_LIMITS_ENV]: JSON.stringify(archiveLimits),
        EVALUATION_GATES: JSON.stringify(props.evaluationGates ?? {}),
      },
    });
    this.modelRegistry = modelRegistry;
    this.modelRepository = modelRepository;

    modelRepository.grantWrite(this.role);
    grantObjectCopySource(this.role, { bucket: lakehouse.goldBucket, encryptionKey: lakehouse.encryptionKey, keyPattern: `${MODEL_ARTIFACTS_PREFIX}*` });
    // A missing config.json beside the artifact must read as 404 (optional file), not 403.
    grantListBucket(this.role, lakehouse.goldBucket);
    acknowledgeObjectPatterns(this, [
      [
        lakehouse.goldBucket,
        `${MODEL_ARTIFACTS_PREFIX}*`,
        'it copies or unpacks the registered ONNX artifact or model.tar.gz and its config.json, whose keys the training pipeline chooses',
      ],
      [modelRepository.bucket, `${modelRepository.prefix}*`, 'it writes {model}/{version}/model.onnx and config.json for versions that do not exist yet'],
    ]);

    this.approvedRule = modelRegistry.onPackageApproved('ApprovedRule', {
      description: `Model package Approved in a ${Stack.of(modelRegistry).stackName} group -> promotion to the serving model repository`,
      target: new targets.LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, maxEventAge, retryAttempts: EVENT_RETRY_ATTEMPTS }),
    });
    modelRegistry.grantDescribe(this.role);
    for (const modelName of modelRegistry.modelNames) {
      this.acknowledgeWildcardResource(
        modelRegistry.packageArnPattern(modelName),
        `DescribeModelPackage on the versions of the ${modelRegistry.groupName(modelName)} group: versions are numbered by SageMaker as they are registered, ` +
          'so the ARN can only name the group and leave the version open.',
      );
    }
  }
}

function validateEventAge(maxEventAge: Duration): void {
  const seconds = maxEventAge.toSeconds();
  if (seconds < EVENT_AGE.min.toSeconds() || seconds > EVENT_AGE.max.toSeconds()) {
    throw new InvalidPropError(NAME, 'maxEventAge', maxEventAge.toHumanString(), 'from 1 minute to 24 hours (EventBridge retry policy)');
  }
}

function promoteMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return platformMetric(
    { namespace: METRICS_NAMESPACE, service: PROMOTE_SERVICE, metricName },
    {},
    { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props },
  );
}
