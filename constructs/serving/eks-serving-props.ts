import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import type { EksSizing } from '../../lib/decision';
import type { IModelRepository } from '../model-registry';
import type { IEksCluster } from '../eks';
import type { InferenceCaptureOptions } from './inference-capture';

/**
 * Contract with `ModelServing` and the serving stack:
 *
 * ```ts
 * // once per environment, only if some model's decision target is 'eks':
 * const cluster = config.sharedEksClusterName
 *   ? EksCluster.fromEksClusterAttributes(this, 'SharedCluster', { clusterName: config.sharedEksClusterName, vpc })
 *   : new EksCluster(this, 'ServingCluster', { vpc, clusterName: `${this.stackName}-cluster`, removalPolicy }); // synth:k8s assumes this name
 * // per EKS model:
 * new EksServing(scope, id, { modelName, decision: decision.options.eks.sizing, modelRepository, vpc, image, cluster });
 * ```
 *
 * `EksServing` adds the model's node group (NVIDIA AMI, GPU taint and label for GPU models) and the pod identity role
 * that reads the model repository. The Kubernetes objects (namespace, service account, Deployment, Service, HPA, PDB,
 * NetworkPolicy) are not applied by CDK: `npm run synth:k8s -- -c env=<env>` writes them as Terraform JSON.
 */
export interface EksServingProps {
  /** Model name from the environment config; it names the namespace, the service account and the node label. */
  readonly modelName: string;

  /** EKS sizing of the decision matrix (`decision.options.eks.sizing`): node type and counts, GPU. */
  readonly decision: EksSizing;

  /** Where the serving container reads the approved models; the pods' role gets `grantRead`. */
  readonly modelRepository: IModelRepository;

  /** VPC of the cluster; the node group goes into its private subnets. */
  readonly vpc: ec2.IVpc;

  /** The serving container image (`serving/Dockerfile`); nodes may pull it, its URI is a stack output. */
  readonly image: ecrAssets.DockerImageAsset;

  /**
   * The environment's cluster, shared by all of its EKS models. Required unless `decision.clusterMode` is
   * `new-cluster` (the model that creates the environment's cluster).
   * @default - a new `EksCluster` for this model alone
   */
  readonly cluster?: IEksCluster;

  /**
   * Removal policy of the cluster this construct creates when no `cluster` is given.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Inference capture for the drift detector: the sampled fraction and the silver bucket; the pods' role gets PutObject on
   * this model's `inference-capture/<model>/` prefix only.
   * @default - no capture (no variables, no grant)
   */
  readonly capture?: InferenceCaptureOptions;
}
