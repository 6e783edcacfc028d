import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { EksSizing } from '../../lib/decision';
import { ClusterAutoscaler } from './cluster-autoscaler';
import { MetricsCollectorRbac } from './metrics-collector-rbac';
import { NvidiaDevicePlugin } from './nvidia-device-plugin';
import { PlatformPriorityClasses } from './priority-classes';
import { ServingWorkload } from './serving-workload';
import type { ServingLoadBalancerProps } from './serving-workload-props';
import { NO_SERVED_VERSION } from '../../lib/rollout';
import { TrainingNamespace } from './training-namespace';
import { SERVING_CONTAINER } from './workload-names';

export interface EksServedModel {
  readonly modelName: string;
  readonly sizing: EksSizing;
  /** Fraction of requests captured for the drift detector (`models[].drift.captureSampleFraction`); absent or 0: no capture. */
  readonly captureSampleFraction?: number;
}

export interface ServingKubernetesStackProps {
  /** The models whose decision target is EKS; the stack is empty of workloads (provider only) when there are none. */
  readonly models: readonly EksServedModel[];

  /**
   * Default of the `cluster_name` variable.
   * @default - none: `-var cluster_name=` is required (CDK output `ClusterNameOutput`)
   */
  readonly clusterName?: string;

  /**
   * Default of the `aws_region` variable.
   * @default - none: `-var aws_region=` is required
   */
  readonly awsRegion?: string;

  /**
   * CIDR blocks (e.g. an internal load balancer's subnets) allowed to call the servers besides inference-client namespaces.
   * @default - none
   */
  readonly ingressCidrs?: string[];

  /**
   * Deploy the Cluster Autoscaler (its AWS role comes from `EksCluster`) when there are models. A shared cluster run by
   * another team has its own.
   * @default true
   */
  readonly clusterAutoscaler?: boolean;

  /**
   * Number of subnets the load balancers live in (one per availability zone of the VPC): how many CIDRs of
   * `load_balancer_subnet_cidrs` the NetworkPolicies admit.
   * @default 2
   */
  readonly loadBalancerZones?: number;

  /**
   * Make every model's load balancer internet-facing with a TLS listener on 443 using this ACM certificate; the
   * `load_balancer_subnet_*` variables must then name the public subnets (CDK outputs `PublicSubnet*Output`).
   * @default - internal load balancers without TLS, in the load-balancer subnets
   */
  readonly internetFacingCertificateArn?: string;

  /**
   * GPU training on the cluster (`training.eks`): the `training` namespace with its GPU quota. Teams then add one
   * `TrainingJob` per run.
   * @default - no training objects
   */
  readonly training?: { readonly gpuQuota: number };

  /**
   * Server drain timeout after SIGTERM (env `DRAIN_TIMEOUT_SECONDS`).
   * @default - the server's own default (`SERVING_CONTAINER.drainTimeoutSeconds`, 25)
   */
  readonly drainTimeoutSeconds?: number;
}

/**
 * The Kubernetes side of EKS serving for one environment, as a Terraform stack: the kubernetes provider (private
 * endpoint, `aws eks get-token` auth), the Cluster Autoscaler, the NVIDIA device plugin when a model or training needs
 * GPUs, the PriorityClasses (serving above training), one `ServingWorkload` per EKS model and, with `training`, the
 * `training` namespace. Values only known after the CDK deploy (endpoint, CA, image URI, repository URI) are variables
 * that the CDK stack outputs fill in.
 */
export class ServingKubernetesStack extends TerraformStack {
  readonly models: readonly EksServedModel[];
  readonly workloads: readonly ServingWorkload[];
  readonly devicePlugin?: NvidiaDevicePlugin;
  readonly clusterAutoscaler?: ClusterAutoscaler;
  /** What the AMP managed scraper (ServingScraper) may read; present when there are models. */
  readonly metricsCollector?: MetricsCollectorRbac;
  /** Serving above training; present when there are models or training. */
  readonly priorityClasses?: PlatformPriorityClasses;
  /** Present with `training`. */
  readonly trainingNamespace?: TrainingNamespace;

  constructor(scope: Construct, id: string, props: ServingKubernetesStackProps) {
    super(scope, id);
    this.models = props.models;
    const variable = (name: string, description: string, defaultValue?: string) =>
      new TerraformVariable(this, name, { type: 'string', description, default: defaultValue, nullable: false });
    const clusterName = variable('cluster_name', 'EKS cluster name (CDK output ClusterNameOutput)', props.clusterName);
    const clusterEndpoint = variable('cluster_endpoint', 'Private API endpoint of the cluster (CDK output ClusterEndpointOutput)');
    const clusterCa = variable('cluster_ca_certificate', 'Base64 cluster certificate authority (CDK output ClusterCertificateAuthorityOutput)');
    const awsRegion = variable('aws_region', 'Region of the cluster and the model repository', props.awsRegion);
    const image = variable('serving_image', 'Serving container image URI (CDK output ImageUriOutput)');
    const gpuModels = props.models.some((model) => model.sizing.gpuPerPod > 0);
    const cudaImage = gpuModels
      ? variable('serving_cuda_image', 'CUDA serving image URI for the GPU models (serving/Dockerfile.cuda; CDK output CudaImageUriOutput)')
      : undefined;
    const modelRepository = variable('model_repository_uri', 'MODEL_REPOSITORY, s3://bucket/prefix/ (CDK output ModelRepositoryOutput)');
    const loadBalancer = props.models.length > 0 ? this.loadBalancerVariables(variable, props) : undefined;
    const captured = props.models.some((model) => (model.captureSampleFraction ?? 0) > 0);
    const captureDestination = captured
      ? variable('capture_destination', 'CAPTURE_DESTINATION, s3://<silver bucket> (CDK output CaptureDestinationOutput)')
      : undefined;

    new KubernetesProvider(this, 'kubernetes', {
      host: clusterEndpoint.stringValue,
      clusterCaCertificate: Fn.base64decode(clusterCa.stringValue),
      exec: [
        {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', clusterName.stringValue, '--region', awsRegion.stringValue, '--output', 'json'],
        },
      ],
    });

    if ((props.clusterAutoscaler ?? true) && props.models.length > 0) {
      this.clusterAutoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', { clusterName: clusterName.stringValue, awsRegion: awsRegion.stringValue });
    }
    if (props.models.length > 0) this.metricsCollector = new MetricsCollectorRbac(this, 'MetricsCollector');
    // Training pods need the device plugin on the training nodes even when no model is served on GPUs.
    if (gpuModels || props.training) this.devicePlugin = new NvidiaDevicePlugin(this, 'NvidiaDevicePlugin');
    if (props.models.length > 0 || props.training) this.priorityClasses = new PlatformPriorityClasses(this, 'PriorityClasses');
    if (props.training) this.trainingNamespace = new TrainingNamespace(this, 'Training', { gpuQuota: props.training.gpuQuota });
    this.workloads = props.models.map(({ modelName, sizing, captureSampleFraction }) => {
      const workload = new ServingWorkload(this, modelName, {
        modelName,
        sizing,
        image: sizing.gpuPerPod > 0 ? cudaImage!.stringValue : image.stringValue,
        modelRepositoryUri: modelRepository.stringValue,
        awsRegion: awsRegion.stringValue,
        ingressCidrs: props.ingressCidrs,
        drainTimeoutSeconds: props.drainTimeoutSeconds,
        loadBalancer,
        initialServedVersion: variable(
          `${modelName}_served_version`,
          `Pin of ${modelName} when Terraform creates its Deployment: the SSM parameter /mlops/<env>/serving/${modelName}/served-version. Ignored afterwards: the rollout function moves it`,
          NO_SERVED_VERSION,
        ).stringValue,
        priorityClassName: this.priorityClasses?.serving.metadata.name,
        capture: captureSampleFraction ? { sampleFraction: captureSampleFraction, destination: captureDestination!.stringValue } : undefined,
      });
      new TerraformOutput(this, `${modelName}-endpoint`, {
        description: `In-cluster inference endpoint of ${modelName}`,
        value: `http://model-server.${workload.namespace.metadata.name}.svc.cluster.local:${SERVING_CONTAINER.port}`,
      });
      const lbService = workload.loadBalancerService!;
      const scheme = loadBalancer!.certificateArn ? 'https' : 'http';
      const port = loadBalancer!.certificateArn ? 443 : SERVING_CONTAINER.port;
      new TerraformOutput(this, `${modelName}-load-balancer-endpoint`, {
        description: `Inference endpoint of ${modelName} on its Network Load Balancer (${loadBalancer!.internetFacing ? 'internet-facing' : 'internal'})`,
        value: `${scheme}://${lbService.status.get(0).loadBalancer.get(0).ingress.get(0).hostname}:${port}`,
      });
      return workload;
    });
  }

  private loadBalancerVariables(
    variable: (name: string, description: string, defaultValue?: string) => TerraformVariable,
    props: ServingKubernetesStackProps,
  ): ServingLoadBalancerProps {
    const where = props.internetFacingCertificateArn
      ? 'public subnets (CDK output PublicSubnetIdsOutput)'
      : 'load-balancer subnets (CDK output LoadBalancerSubnetIdsOutput)';
    const subnetIds = variable('load_balancer_subnet_ids', `Comma-separated IDs of the ${where}`);
    const subnetCidrs = variable(
      'load_balancer_subnet_cidrs',
      `Comma-separated CIDR blocks of those subnets (CDK output ${props.internetFacingCertificateArn ? 'PublicSubnetCidrsOutput' : 'LoadBalancerSubnetCidrsOutput'})`,
    );
    const clientCidrs = variable(
      'load_balancer_client_cidrs',
      'Comma-separated CIDR blocks allowed to call the load balancers (e.g. the VPC CIDR, CDK output VpcCidrOutput)',
    );
    const zones = props.loadBalancerZones ?? 2;
    return {
      subnetIds: subnetIds.stringValue,
      subnetCidrs: Array.from({ length: zones }, (_, index) => Fn.element(Fn.split(',', subnetCidrs.stringValue), index) as string),
      clientCidrs: Fn.split(',', clientCidrs.stringValue),
      internetFacing: props.internetFacingCertificateArn !== undefined,
      certificateArn: props.internetFacingCertificateArn,
    };
  }
}
