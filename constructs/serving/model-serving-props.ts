import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import type { DecisionContext, ServingDecision, ServingTarget, TrafficProfile } from '../../lib/decision';
import type { IModelRepository } from '../model-registry';
import type { IEksCluster } from '../eks';
import type { FargateServingProps } from './fargate-serving-props';
import type { LambdaServingProps } from './lambda-serving-props';
import type { InferenceCaptureOptions } from './inference-capture';
import type { PrometheusWorkspace } from './prometheus-workspace';

/** What every target takes from the facade; the rest of a target's props can be set through its options. */
type FacadeProvided = 'modelName' | 'sizing' | 'modelRepository' | 'vpc' | 'image' | 'prometheusWorkspace' | 'servedVersionParameterName' | 'capture';
export type LambdaServingOptions = Omit<LambdaServingProps, FacadeProvided>;
export type FargateServingOptions = Omit<FargateServingProps, FacadeProvided>;

export interface ModelServingProps {
  /** The model's name (registry and repository folder): lower-case letters, digits and hyphens, 3-40 characters. */
  readonly modelName: string;
  /** How the model is called: the decision matrix's input. */
  readonly traffic: TrafficProfile;
  /** The repository the serving container reads the model from. */
  readonly modelRepository: IModelRepository;
  /** Every target runs in this VPC's private subnets. */
  readonly vpc: ec2.IVpc;
  /** The serving image, built for the architecture the decision was priced with (`createServingImage`). */
  readonly image: ecr_assets.DockerImageAsset;
  /** The environment's Prometheus workspace (`MetricsWorkspace`): a Fargate target's collector remote-writes there. */
  readonly prometheusWorkspace: PrometheusWorkspace;

  /**
   * A decision already made for this model, e.g. by `decideEnvironment` (which prices a model on a cluster the
   * environment pays for anyway). Cannot be combined with `decisionContext` or `forceTarget`.
   * @default - `decideServing(traffic, { ...decisionContext, forceTarget })`
   */
  readonly decision?: ServingDecision;

  /**
   * Environment facts the decision depends on (high availability, shared cluster, architecture).
   * @default { highAvailability: true, architecture: 'x86_64' }
   */
  readonly decisionContext?: Omit<DecisionContext, 'forceTarget'>;

  /**
   * Serve on this target whatever the cost; hard limits still apply, and the decision (with the recommended target)
   * is still recorded.
   * @default - the target the decision matrix recommends
   */
  readonly forceTarget?: ServingTarget;

  /**
   * The environment's EKS cluster, shared by its EKS models.
   * @default - a cluster for this model alone when the decision is EKS
   */
  readonly eksCluster?: IEksCluster;

  /**
   * Removal policy of the logs, keys, buckets (and a cluster) the chosen target creates.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * SSM parameter pinning the version this model's deployment serves (`createServedVersionPin`); passed to the Lambda
   * or Fargate target. A `ModelRollout` then moves it through the target's progressive deployment.
   * @default - no pin: the container serves the newest version in the repository (no rollout, no rollback)
   */
  readonly servedVersionParameterName?: string;

  /**
   * Inference capture for the drift detector (`models[].drift.captureSampleFraction` and the lakehouse silver bucket),
   * passed to whichever target serves the model; its role may write only `inference-capture/<model>/`.
   * @default - no capture
   */
  readonly capture?: InferenceCaptureOptions;

  /**
   * Further props of `LambdaServing`, used when the target is Lambda.
   * @default - LambdaServing's defaults; `latencyObjective` from `traffic.p99LatencyMs` when below the timeout
   */
  readonly lambdaOptions?: LambdaServingOptions;

  /**
   * Further props of `FargateServing`, used when the target is Fargate.
   * @default - FargateServing's defaults; `latencyObjective` from `traffic.p99LatencyMs` when below the load balancer
   * idle timeout (`LOAD_BALANCER_IDLE_TIMEOUT`)
   */
  readonly fargateOptions?: FargateServingOptions;
}
