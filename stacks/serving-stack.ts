import type * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { EksCluster, type IEksCluster } from '../constructs/eks';
import type { ModelRepository } from '../constructs/model-registry';
import { createServingImage, ModelServing } from '../constructs/serving';
import { createPlatformKey } from '../constructs/shared/platform-key';
import type { EnvironmentConfig } from '../lib/config';
import { removalPolicyOf } from './removal-policy';
import { decideEnvironment, type EnvironmentServingDecision, SERVING_IMAGE_ARCHITECTURE } from '../lib/decision';

/** The serving image is built for x86_64: GPU nodes are x86_64 only, and one image serves every target. */
export const SERVING_ARCHITECTURE = SERVING_IMAGE_ARCHITECTURE;

export interface ServingStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly modelRepository: ModelRepository;
  readonly vpc: ec2.IVpc;
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
}

/** One `ModelServing` per configured model, on the target the decision matrix picks. */
export class ServingStack extends Stack {
  readonly models: readonly ModelServing[];
  readonly eksCluster?: IEksCluster;
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
    }

    this.models = decisions.models.map(({ modelName, decision }) => {
      const model = config.models.find((m) => m.name === modelName)!;
      return new ModelServing(this, constructIdOf(modelName), {
        modelName,
        traffic: model.traffic,
        decision,
        modelRepository,
        vpc,
        image,
        eksCluster: this.eksCluster,
        removalPolicy,
        lambdaOptions: { encryptionKey: logKey, alarmAction: props.alarmAction },
        fargateOptions: { encryptionKey: logKey, alarmAction: props.alarmAction, deletionProtection: removalPolicy === RemovalPolicy.RETAIN },
      });
    });
  }
}

/** `fraud-scorer` → `FraudScorer`: a stable construct ID (model names are unique within an environment). */
function constructIdOf(modelName: string): string {
  return modelName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
