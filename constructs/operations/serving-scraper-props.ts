import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { PrometheusWorkspace } from '../serving/prometheus-workspace';

export interface ServingScraperProps {
  /** ARN of the EKS cluster whose serving pods are scraped. */
  readonly clusterArn: string;
  /** Name of that cluster (the scraper's access entry is created on it). */
  readonly clusterName: string;
  /** The cluster's VPC: the scraper's network interfaces go in its private subnets. */
  readonly vpc: ec2.IVpc;
  /** The environment's workspace the scraped samples are written to. */
  readonly workspace: PrometheusWorkspace;
  /** Names of the models served on the cluster: their namespaces (`serving-<model>`) are scraped, nothing else. */
  readonly modelNames: readonly string[];

  /**
   * Security groups of the scraper's network interfaces; they must reach the pods on the serving port.
   * @default - a new group allowed out to the VPC on the serving port and HTTPS (Kubernetes API)
   */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];

  /**
   * Time between two scrapes of each pod (at least 10 s).
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
}
