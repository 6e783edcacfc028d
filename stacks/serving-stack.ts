import type * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import { RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { addLoadBalancerSubnetOutputs, EksCluster, type IEksCluster, type TrainingNodegroup } from '../constructs/eks';
import type { ILakehouse } from '../constructs/lakehouse';
import type { IModelRepository } from '../constructs/model-registry';
import { ServingScraper } from '../constructs/operations';
import { createServingImage, type InferenceCaptureOptions, ModelServing, type QueryablePrometheusWorkspace } from '../constructs/serving';
import { createPlatformKey } from '../constructs/shared/platform-key';
import { ConfigError, type EnvironmentConfig } from '../lib/config';
import { ModelRollout } from '../constructs/serving/model-rollout';
import { modelPackageGroupName } from '../lib/registry';
import { pinParameterName } from '../lib/rollout';
import { removalPolicyOf } from './removal-policy';
import { servingFunctionName } from './stack-names';
import { decideEnvironment, type EnvironmentServingDecision, SERVING_IMAGE_ARCHITECTURE } from '../lib/decision';

/** The serving image is built for x86_64: GPU nodes are x86_64 only, and one image serves every target. */
export const SERVING_ARCHITECTURE = SERVING_IMAGE_ARCHITECTURE;

export interface ServingStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly modelRepository: IModelRepository;
  readonly vpc: ec2.IVpc;
  /** The environment's Prometheus workspace: Fargate collectors remote-write there, the EKS scraper writes there, the EKS rollout queries it. */
  readonly metricsWorkspace: QueryablePrometheusWorkspace;
  /**
   * The environment's name: names each model's served-version pin (`pinParameterName`) and model package group. With it,
   * every model is rolled out by a `ModelRollout` (Lambda and Fargate read their pin from SSM; EKS Deployments carry it); the pins must exist before this stack
   * deploys (the data stack creates them).
   * @default - no pins: the containers serve the newest version in the repository (no governed rollout)
   */
  readonly environmentName?: string;
  /**
   * Build context of the serving image.
   * @default SERVING_IMAGE_DIRECTORY (the repository's `serving/` folder)
   */
  readonly imageDirectory?: string;
  /**
   * Where the serving alarms (error rate and latency, which roll back a Lambda canary or a Fargate deployment) notify.
   * @default - no notification; CodeDeploy and ECS still roll back on them
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * The lakehouse whose silver bucket receives inference capture: each model with a `drift` block is captured at its
   * `captureSampleFraction`, and its serving role may write only its own `inference-capture/<model>/` prefix.
   * @default - no capture
   */
  readonly lakehouse?: ILakehouse;
}

/** One `ModelServing` per configured model, on the target the decision matrix picks. */
export class ServingStack extends Stack {
  readonly models: readonly ModelServing[];
  /** Drives promotions and rollbacks of every model (Lambda, Fargate, EKS); absent without `environmentName`. */
  readonly rollout?: ModelRollout;
  readonly eksCluster?: IEksCluster;
  /** The GPU training node group on the cluster; present with `training.eks` in the config. */
  readonly trainingNodegroup?: TrainingNodegroup;
  /** The AMP managed scraper of the EKS models' pods; present when a model is served on EKS. */
  readonly metricsScraper?: ServingScraper;
  /** The decision matrix's output for every model of the environment, as the models were built from it. */
  readonly decisions: EnvironmentServingDecision;
  /** The serving image (absent when the environment has no model); training registers model packages naming it. */
  readonly servingImage?: ecr_assets.DockerImageAsset;

  constructor(scope: Construct, id: string, props: ServingStackProps) {
    super(scope, id, props);
    const { config, modelRepository, vpc } = props;
    const removalPolicy = removalPolicyOf(config);
    // Decided together, so a model in an environment that already pays for a cluster is priced on it.
    const decisions = decideEnvironment(config, { architecture: SERVING_ARCHITECTURE });
    this.decisions = decisions;
    if (decisions.models.length === 0) {
      this.models = [];
      return;
    }

    const image = createServingImage(this, 'ServingImage', { architecture: SERVING_ARCHITECTURE, directory: props.imageDirectory });
    this.servingImage = image;
    const logKey = createPlatformKey(this, 'ServingLogKey', { description: `Encrypts the ${this.stackName} serving logs`, removalPolicy });
    if (decisions.models.some(({ decision }) => decision.target === 'eks')) {
      this.eksCluster = config.sharedEksClusterName
        ? EksCluster.fromEksClusterAttributes(this, 'SharedCluster', { clusterName: config.sharedEksClusterName, vpc })
        : new EksCluster(this, 'ServingCluster', { vpc, clusterName: `${this.stackName}-cluster`, removalPolicy });
      addLoadBalancerSubnetOutputs(this, vpc);
    }

    const eksTraining = config.training?.eks;
    if (eksTraining !== undefined) {
      if (this.eksCluster === undefined) {
        throw new ConfigError(
          `training.eks: set, but this environment has no EKS cluster (no model is served on EKS and sharedEksClusterName is not set); remove training.eks or set sharedEksClusterName`,
        );
      }
      this.trainingNodegroup = this.eksCluster.addTrainingNodegroup(this, 'TrainingNodegroup', {
        instanceTypes: eksTraining.instanceTypes,
        spot: eksTraining.spot,
        maxSize: eksTraining.maxNodes,
        rootVolumeSize: Size.gibibytes(eksTraining.rootVolumeGb),
      });
    }

    this.models = decisions.models.map(({ modelName, decision }) => {
      const model = config.models.find((m) => m.name === modelName)!;
      const governed = props.environmentName !== undefined && decision.target !== 'eks';
      return new ModelServing(this, constructIdOf(modelName), {
        servedVersionParameterName: governed ? pinParameterName(props.environmentName, modelName) : undefined,
        capture: captureOf(model, props.lakehouse),
        modelName,
        traffic: model.traffic,
        decision,
        modelRepository,
        vpc,
        image,
        prometheusWorkspace: props.metricsWorkspace,
        eksCluster: this.eksCluster,
        removalPolicy,
        lambdaOptions: { encryptionKey: logKey, alarmAction: props.alarmAction, functionName: servingFunctionName(this.stackName, modelName) },
        fargateOptions: { encryptionKey: logKey, alarmAction: props.alarmAction, deletionProtection: removalPolicy === RemovalPolicy.RETAIN },
      });
    });

    const environmentName = props.environmentName;
    const governed = this.models;
    if (environmentName !== undefined && governed.length > 0) {
      this.rollout = new ModelRollout(this, 'ModelRollout', {
        models: governed.map((serving) => ({
          serving,
          modelPackageGroupName: modelPackageGroupName(environmentName, serving.modelName),
          pinParameterName: pinParameterName(environmentName, serving.modelName),
        })),
        modelRepository,
        vpc,
        metricsWorkspace: props.metricsWorkspace,
        removalPolicy,
      });
    }

    const eksModels = decisions.models.filter(({ decision }) => decision.target === 'eks').map(({ modelName }) => modelName);
    if (this.eksCluster && eksModels.length > 0) {
      const cluster = this.eksCluster;
      this.metricsScraper = new ServingScraper(this, 'MetricsScraper', {
        clusterArn: cluster.clusterArn,
        clusterName: cluster.clusterName,
        vpc,
        workspace: props.metricsWorkspace,
        modelNames: eksModels,
        // Managed node groups use the cluster security group, which admits its own members: the scraper joins it.
        securityGroups:
          cluster instanceof EksCluster
            ? [ec2.SecurityGroup.fromSecurityGroupId(this, 'ClusterSecurityGroup', cluster.cluster.attrClusterSecurityGroupId)]
            : undefined,
      });
    }
  }
}

function captureOf(model: EnvironmentConfig['models'][number], lakehouse: ILakehouse | undefined): InferenceCaptureOptions | undefined {
  if (model.drift === undefined || lakehouse === undefined) return undefined;
  return { bucket: lakehouse.silverBucket, encryptionKey: lakehouse.encryptionKey, sampleFraction: model.drift.captureSampleFraction };
}

/** `fraud-scorer` → `FraudScorer`: a stable construct ID (model names are unique within an environment). */
function constructIdOf(modelName: string): string {
  return modelName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
