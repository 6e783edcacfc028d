import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IServingImage } from './serving-image';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { FargateSizing } from '../../lib/decision';
import type { IModelRepository } from '../model-registry';
import type { InferenceCaptureOptions } from './inference-capture';
import type { PrometheusWorkspace } from './prometheus-workspace';

export const DEFAULT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0';

/** How long the load balancer waits for a response: a slower request ends in a 504 from the load balancer itself. */
export const LOAD_BALANCER_IDLE_TIMEOUT = Duration.seconds(60);

export interface FargateServingProps {
  /** The model this service serves; used in descriptions and metric labels. */
  readonly modelName: string;
  /** Task size, container shares, task counts and scaling targets, as the decision matrix sized them. */
  readonly sizing: FargateSizing;
  /** Where the serving container reads approved models (`MODEL_REPOSITORY`); the task role gets read access. */
  readonly modelRepository: IModelRepository;
  /** Tasks run in this VPC's private subnets (with egress). */
  readonly vpc: ec2.IVpc;
  /** The serving image, built for `sizing.architecture`. */
  readonly image: IServingImage;
  /** The environment's workspace (`MetricsWorkspace`) the ADOT collector sidecar remote-writes the serving metrics to. */
  readonly prometheusWorkspace: PrometheusWorkspace;

  /**
   * Put the load balancer in the public subnets with a public address. Requires `certificate`: an internet-facing
   * endpoint only speaks HTTPS.
   * @default false
   */
  readonly internetFacing?: boolean;

  /**
   * Certificate of an HTTPS listener on 443 (TLS 1.2+ policy). Without it an internal load balancer listens on HTTP 80
   * inside the VPC.
   * @default - no HTTPS listener
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Who may connect to the load balancer's listener.
   * @default - members of `clientSecurityGroup` (a new security group that callers attach to their workloads) for an
   * internal load balancer; any IPv4 address for an internet-facing one
   */
  readonly allowedClients?: ec2.IPeer;

  /**
   * Bucket (SSE-S3: load balancer log delivery supports no KMS key) that receives the load balancer's access logs.
   * @default - a new bucket, with its own server-access-log bucket
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Image of the ADOT collector sidecar.
   * @default ContainerImage.fromRegistry(DEFAULT_COLLECTOR_IMAGE)
   */
  readonly collectorImage?: ecs.ContainerImage;

  /**
   * Seconds between two scrapes of the serving container's metrics.
   * @default 15
   */
  readonly scrapeIntervalSeconds?: number;

  /**
   * p99 target response time above which an ECS deployment is rolled back. Must be below the load balancer's idle
   * timeout (`LOAD_BALANCER_IDLE_TIMEOUT`, 60 s): slower responses never reach the target response time metric.
   * @default Duration.seconds(1)
   */
  readonly latencyObjective?: Duration;

  /**
   * Share of requests (percent) that may end in a 5XX from the serving tasks before an ECS deployment is rolled back.
   * @default DEFAULT_ERROR_RATE_THRESHOLD_PERCENT (1, as the Prometheus serving alert rules)
   */
  readonly errorRateThresholdPercent?: number;

  /**
   * How long a new task may take to load its model: the service's health-check grace period, and the serving
   * container's health-check start period (capped at ECS's 300 s).
   * @default - `startupAllowanceSeconds(sizing.appMemoryMiB)`: 30 s + 1 s per 25 MiB of the serving container's memory,
   * rounded up to 10 s (lib/decision/startup-allowance.ts)
   */
  readonly startupAllowance?: Duration;

  /**
   * Action (e.g. an SNS topic) the rollback alarms also notify.
   * @default - none: the alarms only drive the ECS deployment rollback
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;

  /**
   * Key that encrypts the service's log group.
   * @default - a new KMS key with rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Time the service's logs are kept.
   * @default Duration.days(365)
   */
  readonly logRetention?: Duration;

  /**
   * Protect the load balancer from deletion.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the log group, the key and the buckets this construct creates when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * SSM parameter pinning the model version this deployment serves (`createServedVersionPin`), read by CloudFormation
   * into `SERVED_MODEL_VERSION` when it creates or updates the deployment; a `ModelRollout` moves it through the
   * target's own progressive deployment (docs/serving-targets.md, "Governed rollout").
   * @default - no pin: the container serves the newest version in the repository and switches on its own (no rollout, no rollback)
   */
  readonly servedVersionParameterName?: string;

  /**
   * Inference capture for the drift detector: the sampled fraction and the silver bucket; the task role gets PutObject
   * on this model's `inference-capture/<model>/` prefix only.
   * @default - no capture (no variables, no grant)
   */
  readonly capture?: InferenceCaptureOptions;
}
