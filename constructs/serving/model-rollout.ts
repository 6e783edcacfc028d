import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_ERROR_RATE_THRESHOLD_PERCENT } from '../../lib/monitoring/serving-signals';
import {
  METRICS_QUERY_URL_VARIABLE,
  MODEL_DEPLOYMENT,
  MODEL_ROLLOUT_GROUP,
  ROLLOUT_TARGETS_VARIABLE,
  type ModelRolloutTarget,
  type RolloutSignals,
} from '../../lib/rollout';
import { EksCluster, type IEksCluster } from '../eks';
import { PlatformFunction } from '../functions';
import type { IQueueAlarms } from '../operations';
import { platformMetric } from '../operations/emitted-metrics';
import { ROLLOUT_METRICS, ROLLOUT_SERVICE } from '../../lambdas/rollout-model/rollout-metrics';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics-namespace';
import { InvalidPropError } from '../shared/prop-validation';
import { SERVING_CONTAINER_NAME } from './fargate-serving';
import type { ModelRolloutProps, RolloutModel } from './model-rollout-props';
import { validateErrorRateThresholdPercent } from './serving-alarms';
import { acknowledgeModelRepositoryRead } from './serving-findings';

const NAME = 'ModelRollout';
/** The function's 15-minute timeout less the minute it keeps for a rollback patch. */
const LONGEST_BAKE = Duration.minutes(14);

const HANDLER = path.join(__dirname, '..', '..', 'lambdas', 'rollout-model', 'handler.ts');

/**
 * Governed rollout of model versions (docs/serving-targets.md, "Governed rollout"): on every state change of a model
 * package, a function brings the model's deployment to its highest approved, promoted version through the target's
 * own progressive deployment — a CodeDeploy canary on the Lambda alias, an ECS rolling deployment of a new task
 * definition revision, a Kubernetes rolling update of the EKS Deployment (watched by the function, which queries the
 * metrics workspace for the new version's error rate and p99 latency) — which rolls back on the error-rate and latency
 * signals; then it moves the model's pin. After a failed or stopped deployment it sets the pin back to the version
 * still serving.
 */
export class ModelRollout extends Construct {
  readonly function: PlatformFunction;
  /** Model package state changes (any status) of the governed models' groups. */
  readonly registryRule: events.Rule;
  /** Failed ECS deployments and failed or stopped CodeDeploy deployments of the governed models. */
  readonly deploymentFailureRule?: events.Rule;
  /** One per EKS cluster of the governed models: maps the function's role to the Kubernetes group `MODEL_ROLLOUT_GROUP`. */
  readonly kubernetesAccessEntries: eks.CfnAccessEntry[] = [];

  constructor(scope: Construct, id: string, props: ModelRolloutProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const bake = props.eksSignals?.bake ?? Duration.minutes(5);
    const evaluationsToRollBack = props.eksSignals?.evaluationsToRollBack ?? 3;
    const errorRateThresholdPercent = props.eksSignals?.errorRateThresholdPercent ?? DEFAULT_ERROR_RATE_THRESHOLD_PERCENT;
    if (props.models.length === 0) throw new InvalidPropError(NAME, 'models', [], 'at least one Lambda, Fargate or EKS model');
    const eksModels = props.models.filter((model) => model.serving.eks).map((model) => model.serving.modelName);
    if (eksModels.length > 0 && props.metricsWorkspace === undefined) {
      throw new InvalidPropError(
        NAME,
        'metricsWorkspace',
        undefined,
        `the workspace the EKS models' metrics reach (${eksModels.join(', ')}): their rollouts are judged on its error-rate and latency signals`,
      );
    }
    if (bake.toSeconds() > LONGEST_BAKE.toSeconds())
      throw new InvalidPropError(
        NAME,
        'eksSignals.bake',
        bake.toHumanString(),
        `at most ${LONGEST_BAKE.toHumanString()} (the function's 15-minute timeout less a minute for the rollback)`,
      );
    if (!Number.isInteger(evaluationsToRollBack) || evaluationsToRollBack < 1) {
      throw new InvalidPropError(NAME, 'eksSignals.evaluationsToRollBack', evaluationsToRollBack, 'a whole number of checks, at least 1');
    }
    validateErrorRateThresholdPercent(NAME, errorRateThresholdPercent);
    const signals = { bakeSeconds: bake.toSeconds(), evaluationsToRollBack, errorRateThresholdPercent };
    const rolloutTargets = Object.fromEntries(props.models.map((model) => [model.serving.modelName, rolloutTargetOf(model, signals)]));

    this.function = new PlatformFunction(this, 'Function', {
      entry: HANDLER,
      description: 'Model package state change -> progressive rollout (or rollback) of the served model version',
      // A handful of AWS API calls per event; the longest part is waiting for a Lambda function update (about a minute),
      // or, with EKS models, watching the Kubernetes rolling update (up to the Deployment's 10-minute progress deadline).
      memorySize: 256,
      timeout: props.models.some((model) => model.serving.eks) ? Duration.minutes(15) : Duration.minutes(3),
      reservedConcurrentExecutions: 2,
      vpc: props.vpc,
      encryptionKey: props.encryptionKey,
      removalPolicy,
      environment: {
        [ROLLOUT_TARGETS_VARIABLE]: Stack.of(this).toJsonString(rolloutTargets),
        MODEL_REPOSITORY_BUCKET: props.modelRepository.bucket.bucketName,
        MODEL_REPOSITORY_PREFIX: props.modelRepository.prefix,
        ...(eksModels.length > 0 ? { [METRICS_QUERY_URL_VARIABLE]: `${props.metricsWorkspace!.prometheusEndpoint}api/v1/query` } : {}),
      },
    });
    this.grant(props);

    this.registryRule = new events.Rule(this, 'RegistryRule', {
      description: 'Model package state change (approved, rejected, pending) of a governed model -> rollout function',
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: props.models.map((model) => model.modelPackageGroupName) },
      },
    });
    // Lambda's asynchronous retries (2, minutes apart) let a promotion still writing the version finish first.
    this.registryRule.addTarget(
      new targets.LambdaFunction(this.function.function, {
        deadLetterQueue: this.function.deadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );

    const services = props.models.flatMap((model) => (model.serving.fargate ? [model.serving.fargate.service.serviceArn] : []));
    const groups = props.models.flatMap((model) => (model.serving.lambda ? [model.serving.lambda.deploymentGroup.deploymentGroupName] : []));
    const patterns: events.EventPattern[] = [];
    if (services.length > 0)
      patterns.push({
        source: ['aws.ecs'],
        detailType: ['ECS Deployment State Change'],
        resources: services,
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      });
    if (groups.length > 0)
      patterns.push({
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: { deploymentGroup: groups, state: ['FAILURE', 'STOP'] },
      });
    patterns.forEach((eventPattern, index) => {
      const rule = new events.Rule(this, index === 0 ? 'DeploymentFailureRule' : `DeploymentFailureRule${index + 1}`, {
        description: 'A governed model deployment failed or was stopped -> rollout function resets the pin to the version still serving',
        eventPattern,
      });
      rule.addTarget(
        new targets.LambdaFunction(this.function.function, {
          deadLetterQueue: this.function.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      );
      if (index === 0) (this as { deploymentFailureRule?: events.Rule }).deploymentFailureRule = rule;
    });
  }

  /**
   * Kubernetes access for EKS models: an access entry per cluster maps the function's role to `MODEL_ROLLOUT_GROUP`
   * (no access policy: the namespaced Role of each model, from the cdktf app, grants get/patch on its Deployment only),
   * and the cluster's private endpoint admits the function's security group on 443.
   */
  private grantKubernetesAccess(props: ModelRolloutProps): void {
    clustersOf(props).forEach((cluster, index) => {
      this.kubernetesAccessEntries.push(
        new eks.CfnAccessEntry(this, index === 0 ? 'KubernetesAccess' : `KubernetesAccess${index + 1}`, {
          clusterName: cluster.clusterName,
          principalArn: this.function.role.roleArn,
          type: 'STANDARD',
          kubernetesGroups: [MODEL_ROLLOUT_GROUP],
        }),
      );
      if (cluster instanceof EksCluster) {
        cluster.controlPlaneSecurityGroup.addIngressRule(
          this.function.securityGroup,
          ec2.Port.tcp(443),
          'Model rollout function: gets and patches model Deployments',
        );
      }
    });
  }

  private grant(props: ModelRolloutProps): void {
    const role = this.function.role;
    const stack = Stack.of(this);
    props.modelRepository.grantRead(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: props.models.map((model) =>
          stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: model.pinParameterName.replace(/^\//, ''),
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ),
      }),
    );
    // ListModelPackages has no resource-level permissions; RegisterTaskDefinition / DescribeTaskDefinition neither.
    const unscoped = ['sagemaker:ListModelPackages'];
    let queriesMetrics = false;
    for (const { serving } of props.models) {
      if (serving.lambda) {
        const { function: fn, deploymentGroup } = serving.lambda;
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: [
              'lambda:GetAlias',
              'lambda:GetFunction',
              'lambda:GetFunctionConfiguration',
              'lambda:UpdateFunctionConfiguration',
              'lambda:PublishVersion',
            ],
            resources: [fn.functionArn, `${fn.functionArn}:*`],
          }),
        );
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['codedeploy:CreateDeployment'], resources: [deploymentGroup.deploymentGroupArn] }));
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['codedeploy:GetDeploymentConfig'], resources: [deploymentGroup.deploymentConfig.deploymentConfigArn] }),
        );
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
            resources: [deploymentGroup.application.applicationArn],
          }),
        );
        this.function.acknowledgeWildcardResource(
          `${fn.functionArn}:*`,
          `The rollout reads the configuration of the version the live alias points at and publishes new versions of this one function; ` +
            'versions are numbered by Lambda as they are published, so the ARN names the function and leaves the qualifier open.',
        );
      } else if (serving.eks) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['eks:DescribeCluster'], resources: [serving.eks.cluster.clusterArn] }));
        queriesMetrics = true;
      } else if (serving.fargate) {
        const { service, taskRole, executionRole } = serving.fargate;
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [service.serviceArn] }));
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [taskRole.roleArn, executionRole.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
        );
        unscoped.push('ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition');
      }
    }
    this.grantKubernetesAccess(props);
    if (queriesMetrics) props.metricsWorkspace!.grantQueryMetrics(role);
    const unscopedStatement = new iam.PolicyStatement({ actions: [...new Set(unscoped)], resources: ['*'] });
    role.addToPrincipalPolicy(unscopedStatement);
    this.function.acknowledgeStatementWildcards(
      [unscopedStatement],
      'sagemaker:ListModelPackages, ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition support no resource-level permissions ' +
        '(Service Authorization Reference); they read registry listings and register task definition revisions, and the revision only ' +
        'reaches a service through ecs:UpdateService, which is limited to the governed services.',
    );
    acknowledgeModelRepositoryRead(this.function.role, props.modelRepository);
  }

  /** Rollouts that failed, were stopped or rolled back (the pin set back to the version still serving): Sum over 5 minutes. */
  metricRolloutsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(ROLLOUT_METRICS.rolloutsFailed, props);
  }

  /** EKS rollouts rolled back on the new version's error rate or p99 latency: Sum over 5 minutes. */
  metricRolloutsRolledBackOnSignals(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(ROLLOUT_METRICS.rolloutsRolledBackOnSignals, props);
  }

  /** EKS rollouts that completed without their error-rate and latency signals checked (no traffic, a failed query): Sum over 5 minutes. */
  metricRolloutsUnchecked(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(ROLLOUT_METRICS.rolloutsUnchecked, props);
  }

  /**
   * Alarms to `alerts`: the function's dead-letter queue (events it could not handle), any failed or rolled-back
   * rollout (a promoted version that did not reach traffic) and any rollout that completed unchecked (a version now
   * serving that nobody judged).
   */
  addAlarms(alerts: IQueueAlarms): cloudwatch.Alarm[] {
    const stackName = Stack.of(this).stackName;
    return [
      ...alerts.watchDeadLetterQueue(this.function.deadLetterQueue, `ModelRollout failures (${stackName})`),
      alerts.watchOccurrences(
        this,
        'RolloutsFailedAlarm',
        this.metricRolloutsFailed(),
        `Model rollouts (${stackName}): a rollout failed or was rolled back; the rollout function's log names the model, the versions and the reason.`,
      ),
      alerts.watchOccurrences(
        this,
        'RolloutsUncheckedAlarm',
        this.metricRolloutsUnchecked(),
        `Model rollouts (${stackName}): a rollout completed without its error-rate and latency checks (no traffic during the bake, or the metrics query failed); the new version serves unjudged.`,
      ),
    ];
  }

  private metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return platformMetric(
      { namespace: METRICS_NAMESPACE, service: ROLLOUT_SERVICE, metricName },
      {},
      { statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props },
    );
  }
}

/** The EKS clusters of the governed models, each once. */
function clustersOf(props: ModelRolloutProps): IEksCluster[] {
  return [...new Set(props.models.flatMap((model) => (model.serving.eks ? [model.serving.eks.cluster] : [])))];
}

function rolloutTargetOf(model: RolloutModel, signals: Omit<RolloutSignals, 'p99LatencyMs'>): ModelRolloutTarget {
  const { serving } = model;
  const common = { modelPackageGroup: model.modelPackageGroupName, pinParameter: model.pinParameterName };
  if (serving.lambda) {
    const { function: fn, alias, deploymentGroup } = serving.lambda;
    return {
      ...common,
      target: {
        kind: 'lambda',
        functionName: fn.functionName,
        aliasName: alias.aliasName,
        codeDeployApplication: deploymentGroup.application.applicationName,
        deploymentGroup: deploymentGroup.deploymentGroupName,
      },
    };
  }
  if (serving.eks) {
    const { cluster, namespace } = serving.eks;
    return {
      ...common,
      target: {
        kind: 'kubernetes',
        clusterName: cluster.clusterName,
        namespace,
        deployment: MODEL_DEPLOYMENT.name,
        containerName: MODEL_DEPLOYMENT.container,
        signals: { ...signals, p99LatencyMs: serving.traffic.p99LatencyMs },
      },
    };
  }
  if (serving.fargate) {
    const { cluster, service } = serving.fargate;
    return { ...common, target: { kind: 'ecs', cluster: cluster.clusterName, service: service.serviceName, containerName: SERVING_CONTAINER_NAME } };
  }
  throw new InvalidPropError(NAME, 'models', serving.modelName, `a Lambda, Fargate or EKS model (got ${serving.target})`);
}
