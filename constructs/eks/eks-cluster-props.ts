import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

export interface EksClusterProps {
  /** VPC whose private subnets hold the control-plane endpoint and the nodes. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets for the control-plane network interfaces (and the default for node groups).
   * @default - the VPC's private subnets with egress
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Cluster name: 1-100 characters, letters, digits, hyphens and underscores, starting with a letter or digit.
   * @default - a unique name derived from the construct path
   */
  readonly clusterName?: string;

  /**
   * Kubernetes minor version.
   * @default '1.34'
   */
  readonly kubernetesVersion?: string;

  /**
   * Key that encrypts Kubernetes secrets (envelope encryption) and the control-plane log group.
   * @default - a new KMS key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Role mapped to cluster-admin through an EKS access entry (`AmazonEKSClusterAdminPolicy`): the role that applies
   * the Terraform of `npm run synth:k8s`.
   * @default - a new role that principals of this account may assume if their own IAM policy allows it
   */
  readonly adminRole?: iam.IRole;

  /**
   * Who may reach the private API endpoint on 443 (operators, CI runners in the VPC).
   * @default - members of a new security group, `apiClientSecurityGroup`, that such hosts join
   */
  readonly endpointAccessPeers?: ec2.IPeer[];

  /**
   * Time the control-plane logs are kept.
   * @default Duration.days(365)
   */
  readonly logRetention?: Duration;

  /**
   * Create the Cluster Autoscaler's pod identity role (the Deployment is in the cdktf app), so node groups grow from
   * their minimum to their maximum when pods are pending.
   * @default true
   */
  readonly clusterAutoscaler?: boolean;

  /**
   * Turn on EKS Auto Mode's load balancing so each model's `LoadBalancer` Service gets an AWS Network Load Balancer
   * (docs/eks-serving.md, "Reaching a model"). EKS enables Auto Mode's three capabilities together: block storage comes
   * with it, and compute is enabled with no node pools, so Auto Mode launches no instance (models keep their managed
   * node groups). The cluster role gets the four AWS-managed Auto Mode policies.
   * @default true
   */
  readonly loadBalancing?: boolean;

  /**
   * What happens to the cluster, its key and log group when the stack is deleted. With RETAIN the cluster also gets
   * EKS deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** An existing cluster (e.g. `sharedEksClusterName` of the environment config) that serving may add node groups to. */
export interface EksClusterAttributes {
  readonly clusterName: string;

  /** VPC of the cluster; node groups go into its private subnets. */
  readonly vpc: ec2.IVpc;

  /**
   * Whether the cluster runs the EKS Pod Identity agent add-on; serving binds its IAM roles through pod identity
   * and refuses a cluster without it.
   * @default true
   */
  readonly podIdentityAgent?: boolean;

  /**
   * Whether the cluster runs EKS Auto Mode load balancing (`eks.amazonaws.com/nlb` load balancer class); serving
   * exposes every model through it and refuses a cluster without it.
   * @default true
   */
  readonly loadBalancing?: boolean;
}
