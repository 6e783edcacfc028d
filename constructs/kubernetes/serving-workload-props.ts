import type { EksSizing } from '../../lib/decision';

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
