import type { EksSizing } from '../../lib/decision';

/** How a model is exposed outside the cluster: an EKS Auto Mode Network Load Balancer (docs/eks-serving.md). */
export interface ServingLoadBalancerProps {
  /** Comma-separated subnet IDs the load balancer lives in: the VPC's load-balancer subnets (internal) or its public subnets. */
  readonly subnetIds: string;

  /**
   * CIDR blocks of those subnets: with IP targets the load balancer's own addresses are the source of forwarded requests and
   * health checks, so the NetworkPolicy admits these (and no other new source) on port 8080.
   */
  readonly subnetCidrs: string[];

  /** Who may connect to the load balancer (`loadBalancerSourceRanges`: its security group's inbound rules). */
  readonly clientCidrs: string[];

  /**
   * Internet-facing instead of internal; requires `certificateArn`.
   * @default false
   */
  readonly internetFacing?: boolean;

  /**
   * ACM certificate for a TLS listener on 443 (policy `ELBSecurityPolicy-TLS13-1-2-2021-06`) instead of TCP on 8080.
   * @default - no TLS: an internal TCP listener on 8080
   */
  readonly certificateArn?: string;
}

export interface ServingWorkloadProps {
  /** Model name from the environment config; the namespace is `serving-<model>`. */
  readonly modelName: string;

  /** EKS sizing of the decision matrix: pod requests/limits, GPUs, replicas, CPU target. */
  readonly sizing: EksSizing;

  /** Serving container image URI (the CDK serving stack output `ImageUriOutput`): the CUDA image for a GPU model. */
  readonly image: string;

  /** `s3://bucket/prefix` the server polls for approved models (env `MODEL_REPOSITORY`). */
  readonly modelRepositoryUri: string;

  /** Region of the model repository bucket (env `AWS_REGION` for the AWS SDK in the pod). */
  readonly awsRegion: string;

  /**
   * How long the server drains in-flight requests after SIGTERM (env `DRAIN_TIMEOUT_SECONDS`); the pod's
   * `terminationGracePeriodSeconds` is this plus `terminationMarginSeconds`.
   * @default - the server's own default (`SERVING_CONTAINER.drainTimeoutSeconds`, 25)
   */
  readonly drainTimeoutSeconds?: number;

  /**
   * Time Kubernetes waits beyond the drain timeout before SIGKILL: endpoint removal and process exit.
   * @default 15
   */
  readonly terminationMarginSeconds?: number;

  /**
   * CIDR blocks allowed to call port 8080 besides namespaces labelled `mlops.blueprint/inference-client=true`,
   * typically the VPC CIDR where an internal load balancer with IP targets lives.
   * @default - none
   */
  readonly ingressCidrs?: string[];

  /**
   * The pin the Deployment starts with (the model's SSM parameter `/mlops/<env>/serving/<model>/served-version`). Only
   * used when Terraform creates the Deployment; afterwards the rollout function moves it and Terraform ignores it.
   * @default 'none' (serves nothing until the first approved version is rolled out)
   */
  readonly initialServedVersion?: string;

  /**
   * Expose the model on a Network Load Balancer (`model-server-lb` Service) besides the in-cluster ClusterIP Service.
   * @default - in-cluster only (the serving Kubernetes stack always passes one)
   */
  readonly loadBalancer?: ServingLoadBalancerProps;

  /**
   * UID/GID the server runs as; must not be 0.
   * @default - the serving image's user (`SERVING_CONTAINER.user`, 1000)
   */
  readonly runAsUser?: number;

  /**
   * Inference capture for the drift detector: the fraction of requests captured (`models[].drift.captureSampleFraction`)
   * and `s3://<silver bucket>` (the CDK output `CaptureDestinationOutput`); the pods' role may write only this model's
   * `inference-capture/<model>/` prefix (`EksServing`).
   * @default - no capture
   */
  readonly capture?: { readonly sampleFraction: number; readonly destination: string };

  /**
   * PriorityClass of the serving pods: `PlatformPriorityClasses.serving`, so serving outranks training on shared nodes.
   * @default - none (the cluster's default priority)
   */
  readonly priorityClassName?: string;
}
