import { CfnOutput, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeFinding, Rule } from '../shared/acknowledge';
import { allowCloudWatchLogs } from '../shared/cloudwatch-logs-key-access';
import { ManagedPolicyRole } from '../shared/managed-policy-role';
import { createPlatformKey } from '../shared/platform-key';
import { InvalidPropError } from '../shared/prop-validation';
import { retentionDays } from '../shared/retention';
import { ClusterAutoscalerIdentity } from './cluster-autoscaler-identity';
import type { EksClusterAttributes, EksClusterProps } from './eks-cluster-props';
import { ModelNodegroup } from './model-nodegroup';
import type { ModelNodegroupOptions } from './model-nodegroup-props';
import { TrainingNodegroup } from './training-nodegroup';
import type { TrainingNodegroupOptions } from './training-nodegroup-props';

/** An EKS cluster that serving models add their node groups and pod identities to. */
export interface IEksCluster extends IConstruct {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly vpc: ec2.IVpc;
  /** Whether the EKS Pod Identity agent runs on the cluster. */
  readonly podIdentityAgent: boolean;
  /** Whether EKS Auto Mode load balancing turns the models' `LoadBalancer` Services into Network Load Balancers. */
  readonly loadBalancing: boolean;
  /** Adds one model's managed node group, created under `scope`. */
  addNodegroup(scope: Construct, id: string, options: ModelNodegroupOptions): ModelNodegroup;
  /** Adds the GPU training node group (spot, from zero, GPU taint, training label), created under `scope`. */
  addTrainingNodegroup(scope: Construct, id: string, options: TrainingNodegroupOptions): TrainingNodegroup;
}

const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const KUBERNETES_VERSION = /^1\.\d{2}$/;

abstract class EksClusterBase extends Construct implements IEksCluster {
  abstract readonly clusterName: string;
  abstract readonly clusterArn: string;
  abstract readonly vpc: ec2.IVpc;
  abstract readonly podIdentityAgent: boolean;
  abstract readonly loadBalancing: boolean;

  addNodegroup(scope: Construct, id: string, options: ModelNodegroupOptions): ModelNodegroup {
    const nodegroup = new ModelNodegroup(scope, id, { ...options, cluster: this });
    this.onNodegroupAdded(nodegroup, options);
    return nodegroup;
  }

  addTrainingNodegroup(scope: Construct, id: string, options: TrainingNodegroupOptions): TrainingNodegroup {
    return new TrainingNodegroup(scope, id, { ...options, cluster: this });
  }

  protected onNodegroupAdded(_nodegroup: ModelNodegroup, _options: ModelNodegroupOptions): void {}
}

/**
 * The serving EKS cluster, built from L1 resources so no kubectl custom-resource Lambda is involved: private API
 * endpoint only, all five control-plane log types to a KMS-encrypted log group with retention, Kubernetes secrets
 * envelope-encrypted with a customer-managed key, access entries (API authentication mode, no aws-auth ConfigMap, no
 * implicit admin for the CloudFormation role), standard support only, and managed add-ons for pod identity, the VPC
 * CNI with network-policy enforcement, and metrics-server for the HorizontalPodAutoscaler; the Cluster Autoscaler's
 * pod identity role. Node groups are added
 * per model with `addNodegroup`; the Kubernetes objects come from the cdktf app (`npm run synth:k8s`).
 */
export class EksCluster extends EksClusterBase {
  /** A cluster that exists already, e.g. the environment's `sharedEksClusterName`. */
  static fromEksClusterAttributes(scope: Construct, id: string, attrs: EksClusterAttributes): IEksCluster {
    if (!Token.isUnresolved(attrs.clusterName) && !CLUSTER_NAME.test(attrs.clusterName)) {
      throw new InvalidPropError('EksCluster.fromEksClusterAttributes', 'clusterName', attrs.clusterName, 'letters, digits, - and _, 1-100 characters');
    }
    class Import extends EksClusterBase {
      readonly clusterName = attrs.clusterName;
      readonly clusterArn = Stack.of(scope).formatArn({ service: 'eks', resource: 'cluster', resourceName: attrs.clusterName });
      readonly vpc = attrs.vpc;
      readonly podIdentityAgent = attrs.podIdentityAgent ?? true;
      readonly loadBalancing = attrs.loadBalancing ?? true;
    }
    return new Import(scope, id);
  }

  readonly clusterName: string;
  readonly clusterArn: string;
  readonly clusterEndpoint: string;
  readonly clusterCertificateAuthorityData: string;
  readonly vpc: ec2.IVpc;
  readonly podIdentityAgent = true;
  readonly loadBalancing: boolean;
  readonly encryptionKey: kms.IKey;
  readonly role: iam.Role;
  readonly adminRole: iam.IRole;
  readonly controlPlaneSecurityGroup: ec2.SecurityGroup;
  /** Hosts in this group (CI runners, bastions) may call the private API endpoint; absent when `endpointAccessPeers` is given. */
  readonly apiClientSecurityGroup?: ec2.SecurityGroup;
  readonly controlPlaneLogGroup: logs.LogGroup;
  readonly cluster: eks.CfnCluster;
  readonly adminAccessEntry: eks.CfnAccessEntry;
  readonly podIdentityAgentAddon: eks.CfnAddon;
  readonly vpcCniAddon: eks.CfnAddon;
  /** Runs as a Deployment, so it is created after the first node group without a taint (see `addNodegroup`). */
  readonly metricsServerAddon: eks.CfnAddon;
  /** AWS permissions of the Cluster Autoscaler; absent with `clusterAutoscaler: false`. */
  readonly clusterAutoscaler?: ClusterAutoscalerIdentity;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const clusterName = props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    const kubernetesVersion = props.kubernetesVersion ?? '1.34';
    const logRetention = props.logRetention ?? Duration.days(365);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const clusterAutoscaler = props.clusterAutoscaler ?? true;
    this.loadBalancing = props.loadBalancing ?? true;
    if (!Token.isUnresolved(clusterName) && !CLUSTER_NAME.test(clusterName)) {
      throw new InvalidPropError('EksCluster', 'clusterName', clusterName, 'letters, digits, - and _, starting with a letter or digit, 1-100 characters');
    }
    if (!KUBERNETES_VERSION.test(kubernetesVersion)) {
      throw new InvalidPropError('EksCluster', 'kubernetesVersion', kubernetesVersion, "a Kubernetes minor version such as '1.34'");
    }

    const stack = Stack.of(this);
    this.vpc = props.vpc;
    this.encryptionKey =
      props.encryptionKey ??
      createPlatformKey(this, 'EncryptionKey', { description: `Encrypts the secrets and control-plane logs of EKS cluster ${clusterName}`, removalPolicy });
    allowCloudWatchLogs(this, this.encryptionKey);

    // EKS writes to this exact name; creating it first gives it retention and encryption instead of a never-expiring default.
    this.controlPlaneLogGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${clusterName}/cluster`,
      encryptionKey: this.encryptionKey,
      retention: retentionDays(logRetention),
      removalPolicy,
    });

    const eksService = new iam.ServicePrincipal('eks.amazonaws.com');
    this.role = new ManagedPolicyRole(this, 'ClusterRole', {
      // Auto Mode tags the resources it creates with the session (https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html).
      assumedBy: this.loadBalancing ? new iam.SessionTagsPrincipal(eksService) : eksService,
      description: `Control plane of EKS cluster ${clusterName}`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy')],
    });
    acknowledgeFinding(
      this.role.node.defaultChild!,
      Rule.iam4EksClusterPolicy,
      'AWS-managed policy EKS requires on the cluster service role to manage the control plane ENIs, security groups and load ' +
        'balancers; AWS updates it with each Kubernetes release, which a copied customer-managed policy would silently miss.',
    );
    if (this.loadBalancing) this.addAutoModePolicies();
    this.encryptionKey.grant(this.role, 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant');

    this.controlPlaneSecurityGroup = new ec2.SecurityGroup(this, 'ControlPlaneSecurityGroup', {
      vpc: props.vpc,
      description: `Private API endpoint of EKS cluster ${clusterName}: HTTPS from the allowed peers only`,
      allowAllOutbound: false,
    });
    if (!props.endpointAccessPeers) {
      this.apiClientSecurityGroup = new ec2.SecurityGroup(this, 'ApiClientSecurityGroup', {
        vpc: props.vpc,
        description: `Members may call the private API endpoint of EKS cluster ${clusterName}`,
      });
    }
    const endpointAccessPeers = props.endpointAccessPeers ?? [this.apiClientSecurityGroup!];
    for (const peer of endpointAccessPeers) this.controlPlaneSecurityGroup.addIngressRule(peer, ec2.Port.tcp(443), 'Kubernetes API (private endpoint)');

    this.cluster = new eks.CfnCluster(this, 'Resource', {
      name: clusterName,
      version: kubernetesVersion,
      roleArn: this.role.roleArn,
      resourcesVpcConfig: {
        subnetIds: props.vpc.selectSubnets(subnets).subnetIds,
        securityGroupIds: [this.controlPlaneSecurityGroup.securityGroupId],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      encryptionConfig: [{ provider: { keyArn: this.encryptionKey.keyArn }, resources: ['secrets'] }],
      logging: { clusterLogging: { enabledTypes: CONTROL_PLANE_LOG_TYPES.map((type) => ({ type })) } },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: 'STANDARD' },
      // Auto Mode's capabilities are enabled together; no node pools, so it launches no instance of its own.
      ...(this.loadBalancing
        ? {
            computeConfig: { enabled: true, nodePools: [] },
            storageConfig: { blockStorage: { enabled: true } },
            kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
          }
        : {}),
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    });
    this.cluster.applyRemovalPolicy(removalPolicy);
    acknowledgeFinding(
      this.cluster,
      Rule.cfnDeprecatedProperty,
      "EncryptionConfig.Resources is marked deprecated in the CloudFormation schema because 'secrets' is its only value, but " +
        'Control Tower control CT.EKS.PR.2 (eks_secrets_encrypted_check) only passes when it lists secrets, so it is kept.',
    );
    this.cluster.node.addDependency(this.controlPlaneLogGroup, this.role);
    this.clusterName = this.cluster.ref;
    this.clusterArn = this.cluster.attrArn;
    this.clusterEndpoint = this.cluster.attrEndpoint;
    this.clusterCertificateAuthorityData = this.cluster.attrCertificateAuthorityData;

    this.adminRole =
      props.adminRole ??
      new ManagedPolicyRole(this, 'AdminRole', {
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Cluster administrator of EKS cluster ${clusterName} (applies the serving Terraform)`,
      });
    this.adminAccessEntry = new eks.CfnAccessEntry(this, 'AdminAccessEntry', {
      clusterName: this.clusterName,
      principalArn: this.adminRole.roleArn,
      type: 'STANDARD',
      accessPolicies: [{ policyArn: `arn:${stack.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`, accessScope: { type: 'cluster' } }],
    });

    this.podIdentityAgentAddon = this.addon('PodIdentityAgentAddon', 'eks-pod-identity-agent');
    this.vpcCniAddon = this.addon('VpcCniAddon', 'vpc-cni', { enableNetworkPolicy: 'true' });
    this.metricsServerAddon = this.addon('MetricsServerAddon', 'metrics-server');
    if (clusterAutoscaler) {
      this.clusterAutoscaler = new ClusterAutoscalerIdentity(this, 'ClusterAutoscaler', {
        clusterName,
        clusterRef: this.clusterName,
        clusterArn: this.clusterArn,
      });
    }

    new CfnOutput(this, 'ClusterNameOutput', { value: this.clusterName, description: 'EKS cluster name: -var cluster_name= for the serving Terraform' });
    new CfnOutput(this, 'ClusterEndpointOutput', { value: this.clusterEndpoint, description: 'Private API endpoint: -var cluster_endpoint=' });
    new CfnOutput(this, 'ClusterCertificateAuthorityOutput', {
      value: this.clusterCertificateAuthorityData,
      description: 'Base64 cluster CA: -var cluster_ca_certificate=',
    });
    new CfnOutput(this, 'AdminRoleArnOutput', { value: this.adminRole.roleArn, description: 'Role to assume before applying the serving Terraform' });
  }

  protected override onNodegroupAdded(nodegroup: ModelNodegroup, options: ModelNodegroupOptions): void {
    // metrics-server cannot become ACTIVE before an untainted node exists, and CloudFormation waits for ACTIVE.
    if (options.gpu || this.metricsServerAddon.node.dependencies.length > 0) return;
    if (Stack.of(nodegroup) === Stack.of(this)) this.metricsServerAddon.node.addDependency(nodegroup);
  }

  /** The AWS-managed policies EKS Auto Mode requires on the cluster role, each acknowledged for what it lets EKS do. */
  private addAutoModePolicies(): void {
    const policies = [
      {
        name: 'AmazonEKSLoadBalancingPolicy',
        rule: Rule.iam4EksLoadBalancingPolicy,
        does: "create the Network Load Balancers, target groups and their security groups of the models' LoadBalancer Services",
      },
      {
        name: 'AmazonEKSNetworkingPolicy',
        rule: Rule.iam4EksNetworkingPolicy,
        does: 'manage the network interfaces and security group rules of the load balancer targets',
      },
      {
        name: 'AmazonEKSComputePolicy',
        rule: Rule.iam4EksComputePolicy,
        does: 'launch Auto Mode instances, which it never does here: the cluster defines no node pool',
      },
      {
        name: 'AmazonEKSBlockStoragePolicy',
        rule: Rule.iam4EksBlockStoragePolicy,
        does: 'manage EBS volumes of Auto Mode persistent volumes, which serving does not use',
      },
    ];
    for (const policy of policies) {
      this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(policy.name));
      acknowledgeFinding(
        this.role.node.defaultChild!,
        policy.rule,
        `AWS-managed policy EKS requires on the cluster role of an Auto Mode cluster (EKS enables compute, block storage and load ` +
          `balancing together); it lets EKS ${policy.does}, with conditions AWS maintains per release.`,
      );
    }
  }

  private addon(id: string, addonName: string, configuration?: Record<string, string>): eks.CfnAddon {
    return new eks.CfnAddon(this, id, {
      clusterName: this.clusterName,
      addonName,
      // Takes over the self-managed copy EKS bootstraps, so the managed add-on's configuration wins.
      resolveConflicts: 'OVERWRITE',
      configurationValues: configuration ? JSON.stringify(configuration) : undefined,
    });
  }
}
