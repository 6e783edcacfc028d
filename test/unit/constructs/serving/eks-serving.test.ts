import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EksCluster } from '../../../../constructs/eks';
import { ModelRepository } from '../../../../constructs/model-registry/model-repository';
import { PlatformNetwork } from '../../../../constructs/network';
import { EksServing } from '../../../../constructs/serving/eks-serving';
import type { EksServingProps } from '../../../../constructs/serving/eks-serving-props';
import type { EksSizing } from '../../../../lib/decision';
import { registerPolicyGates } from '../../../../stacks/policy-gates';
import { cdkContext, fastCdkContext } from '../../../support/cdk-context';
import { prodEksSizing } from '../kubernetes/support';

const IMAGE_DIRECTORY = join(__dirname, 'fixtures', 'serving-image');
const CPU = prodEksSizing('fraud-scorer');
const GPU = prodEksSizing('doc-embedder');

function environment(app = new App({ context: fastCdkContext() })) {
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const modelRepository = new ModelRepository(stack, 'Repository');
  const image = new ecrAssets.DockerImageAsset(stack, 'Image', { directory: IMAGE_DIRECTORY });
  return { app, stack, vpc, modelRepository, image };
}

function resourceIdOf(template: Template, type: string, idPrefix: string): string {
  const id = Object.keys(template.findResources(type)).find((key) => key.startsWith(idPrefix));
  if (!id) throw new Error(`no ${type} ${idPrefix}*`);
  return id;
}

describe('EksServing on a shared environment cluster (prod decisions: fraud-scorer CPU, doc-embedder GPU)', () => {
  const { stack, vpc, modelRepository, image } = environment();
  const cluster = new EksCluster(stack, 'Cluster', { vpc, clusterName: 'mlops-prod-serving' });
  const cpu = new EksServing(stack, 'FraudScorer', { modelName: 'fraud-scorer', decision: CPU, modelRepository, vpc, image, cluster });
  const gpu = new EksServing(stack, 'DocEmbedder', { modelName: 'doc-embedder', decision: GPU, modelRepository, vpc, image, cluster });
  const template = Template.fromStack(stack);
  const clusterId = resourceIdOf(template, 'AWS::EKS::Cluster', 'Cluster');
  const nodegroup = (prefix: string) => template.toJSON().Resources[resourceIdOf(template, 'AWS::EKS::Nodegroup', prefix)];

  test('one cluster, one node group per model', () => {
    template.resourceCountIs('AWS::EKS::Cluster', 1);
    template.resourceCountIs('AWS::EKS::Nodegroup', 2);
    expect(cpu.cluster).toBe(cluster);
  });

  test('CPU model: the decided instance type on the x86_64 AL2023 AMI (the architecture deployed), labelled for its pods, no taint, in private subnets', () => {
    expect(CPU).toMatchObject({ nodeInstanceType: 'c6i.xlarge', architecture: 'x86_64', nodeGroup: 'general' });
    const { Properties } = nodegroup('FraudScorerNodegroup');
    expect(Properties).toMatchObject({
      ClusterName: { Ref: clusterId },
      AmiType: 'AL2023_x86_64_STANDARD',
      InstanceTypes: ['c6i.xlarge'],
      CapacityType: 'ON_DEMAND',
      Labels: { 'mlops.blueprint/model': 'fraud-scorer' },
      NodeRepairConfig: { Enabled: true },
      UpdateConfig: { MaxUnavailable: 1 },
      Subnets: vpc.privateSubnets.map((subnet) => ({ Ref: stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet) })),
    });
    expect(Properties.Taints).toBeUndefined();
  });

  test('the node group is sized as the decision priced it: a node in each of two zones, up to the decided maximum', () => {
    expect(CPU).toMatchObject({ minReplicas: 2, minNodes: 2 });
    expect(nodegroup('FraudScorerNodegroup').Properties.ScalingConfig).toEqual({ MinSize: 2, DesiredSize: 2, MaxSize: CPU.maxNodes });
  });

  test('GPU model: the decided GPU instance on the NVIDIA AMI, tainted and labelled for the device plugin, decided node counts', () => {
    expect(GPU).toMatchObject({ nodeGroup: 'gpu', gpuPerPod: 1 });
    expect(nodegroup('DocEmbedderNodegroup').Properties).toMatchObject({
      AmiType: 'AL2023_x86_64_NVIDIA',
      InstanceTypes: [GPU.nodeInstanceType],
      Labels: { 'mlops.blueprint/model': 'doc-embedder', 'mlops.blueprint/accelerator': 'nvidia' },
      Taints: [{ Key: 'nvidia.com/gpu', Value: 'present', Effect: 'NO_SCHEDULE' }],
      ScalingConfig: { MinSize: GPU.minNodes, DesiredSize: GPU.minNodes, MaxSize: GPU.maxNodes },
    });
  });

  test('launch templates: IMDSv2 only with hop limit 1, encrypted gp3 root volume (50 GiB CPU, 100 GiB GPU), detailed monitoring', () => {
    const launchTemplate = (prefix: string) =>
      template.toJSON().Resources[resourceIdOf(template, 'AWS::EC2::LaunchTemplate', prefix)].Properties.LaunchTemplateData;
    for (const [prefix, size] of [
      ['FraudScorerNodegroupLaunchTemplate', 50],
      ['DocEmbedderNodegroupLaunchTemplate', 100],
    ] as const) {
      expect(launchTemplate(prefix)).toMatchObject({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        Monitoring: { Enabled: true },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: size, DeleteOnTermination: true } }],
      });
      expect(launchTemplate(prefix).IamInstanceProfile).toBeUndefined();
    }
    expect(nodegroup('FraudScorerNodegroup').Properties.LaunchTemplate).toEqual({
      Id: { Ref: resourceIdOf(template, 'AWS::EC2::LaunchTemplate', 'FraudScorerNodegroupLaunchTemplate') },
      Version: { 'Fn::GetAtt': [resourceIdOf(template, 'AWS::EC2::LaunchTemplate', 'FraudScorerNodegroupLaunchTemplate'), 'LatestVersionNumber'] },
    });
  });

  test('node roles carry exactly the three policies EKS requires', () => {
    const role = template.toJSON().Resources[resourceIdOf(template, 'AWS::IAM::Role', 'FraudScorerNodegroupNodeRole')].Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    const names = role.ManagedPolicyArns.map((arn: { 'Fn::Join': [string, string[]] }) => arn['Fn::Join'][1].at(-1));
    expect(names.sort()).toEqual([
      ':iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      ':iam::aws:policy/AmazonEKSWorkerNodePolicy',
      ':iam::aws:policy/AmazonEKS_CNI_Policy',
    ]);
  });

  test('the pod role trusts only pod identity, for this account, cluster, namespace and service account', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: {
              StringEquals: {
                'aws:SourceAccount': '123456789012',
                'aws:RequestTag/eks-cluster-arn': { 'Fn::GetAtt': [clusterId, 'Arn'] },
                'aws:RequestTag/kubernetes-namespace': 'serving-fraud-scorer',
                'aws:RequestTag/kubernetes-service-account': 'fraud-scorer-server',
              },
            },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('the pod role reads the model repository prefix (and its key) and nothing else', () => {
    const policyId = resourceIdOf(template, 'AWS::IAM::ManagedPolicy', 'FraudScorerPodRolePermissions');
    const statements = template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>;
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(['kms:Decrypt', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
    expect(JSON.stringify(statements)).toContain('/models/*');
  });

  test("pod identity associations bind each model's service account in its namespace to its role", () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3); // two models + the cluster autoscaler
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: clusterId },
      Namespace: 'serving-doc-embedder',
      ServiceAccount: 'doc-embedder-server',
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(gpu.podRole.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    expect([cpu.namespace, cpu.serviceAccountName]).toEqual(['serving-fraud-scorer', 'fraud-scorer-server']);
  });

  test('metrics-server waits for the first untainted node group (it cannot run on GPU nodes)', () => {
    const addonId = resourceIdOf(template, 'AWS::EKS::Addon', 'ClusterMetricsServerAddon');
    const dependsOn = template.toJSON().Resources[addonId].DependsOn as string[];
    expect(dependsOn).toContain(resourceIdOf(template, 'AWS::EKS::Nodegroup', 'FraudScorerNodegroup'));
    expect(dependsOn).not.toContain(resourceIdOf(template, 'AWS::EKS::Nodegroup', 'DocEmbedderNodegroup'));
  });

  test('outputs the image URI and model repository the Terraform needs', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs.some((id) => id.startsWith('FraudScorerImageUriOutput'))).toBe(true);
    expect(outputs.some((id) => id.startsWith('FraudScorerModelRepositoryOutput'))).toBe(true);
  });
});

describe('EksServing without a shared cluster', () => {
  test("the model that creates the environment's cluster ('new-cluster') gets its own EksCluster, retained by default", () => {
    const { stack, vpc, modelRepository, image } = environment();
    const serving = new EksServing(stack, 'Model', {
      modelName: 'doc-embedder',
      decision: { ...GPU, clusterMode: 'new-cluster' },
      modelRepository,
      vpc,
      image,
    });
    expect(serving.cluster).toBeInstanceOf(EksCluster);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Cluster', 1);
    template.hasResource('AWS::EKS::Cluster', { DeletionPolicy: 'Retain' });
  });

  test('removalPolicy reaches the cluster it creates', () => {
    const { stack, vpc, modelRepository, image } = environment();
    new EksServing(stack, 'Model', {
      modelName: 'doc-embedder',
      decision: { ...GPU, clusterMode: 'new-cluster' },
      modelRepository,
      vpc,
      image,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Template.fromStack(stack).hasResource('AWS::EKS::Cluster', { DeletionPolicy: 'Delete' });
  });

  test('an imported shared cluster: node group and pod identity by name, trust scoped to its ARN', () => {
    const { stack, vpc, modelRepository, image } = environment();
    const cluster = EksCluster.fromEksClusterAttributes(stack, 'Shared', { clusterName: 'platform-team', vpc });
    new EksServing(stack, 'Model', { modelName: 'fraud-scorer', decision: { ...CPU, clusterMode: 'shared-cluster' }, modelRepository, vpc, image, cluster });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Cluster', 0);
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ClusterName: 'platform-team' });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'platform-team' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Condition: { StringEquals: Match.objectLike({ 'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:us-east-1:123456789012:cluster/platform-team' }) },
          }),
        ],
      }),
    });
  });
});

describe('EksServing validation', () => {
  const cases: Array<[string, (base: EksServingProps) => Partial<EksServingProps>, RegExp]> = [
    ['a non-EKS decision', () => ({ decision: { ...CPU, target: 'fargate' } as unknown as EksSizing }), /invalid decision.target = "fargate"/],
    ['a bad model name', () => ({ modelName: 'Fraud_Scorer' }), /invalid modelName = "Fraud_Scorer"; lower-case letters, digits and hyphens/],
    [
      'max replicas below min',
      () => ({ decision: { ...CPU, minReplicas: 3, maxReplicas: 2 } }),
      /invalid decision.maxReplicas = 2; at least minReplicas \(3\)/,
    ],
    ['max nodes below min', () => ({ decision: { ...CPU, minNodes: 3, maxNodes: 2 } }), /invalid decision.maxNodes = 2; at least minNodes \(3\)/],
    [
      'two replicas on one node',
      () => ({ decision: { ...CPU, minReplicas: 2, minNodes: 1 } }),
      /invalid decision.minNodes = 1; at least 2 when minReplicas is 2 \(one node per zone/,
    ],
    [
      'a GPU node group without GPUs',
      () => ({ decision: { ...GPU, gpuPerPod: 0 } }),
      /invalid decision.gpuPerPod = 0; at least 1 exactly when nodeGroup is 'gpu'/,
    ],
    ['GPUs on a general node group', () => ({ decision: { ...CPU, gpuPerPod: 1 } }), /invalid decision.gpuPerPod = 1; .*\(got nodeGroup 'general'\)/],
    [
      'no cluster for an environment-cluster model',
      () => ({ cluster: undefined }),
      /invalid cluster = undefined; required when decision.clusterMode is 'environment-cluster'/,
    ],
  ];

  test.each(cases)('%s', (_label, override, message) => {
    const { stack, vpc, modelRepository, image } = environment();
    const cluster = EksCluster.fromEksClusterAttributes(stack, 'Shared', { clusterName: 'shared', vpc });
    const base: EksServingProps = { modelName: 'fraud-scorer', decision: CPU, modelRepository, vpc, image, cluster };
    expect(() => new EksServing(stack, 'Model', { ...base, ...override(base) })).toThrow(message);
  });

  test('a cluster without the pod identity agent', () => {
    const { stack, vpc, modelRepository, image } = environment();
    const cluster = EksCluster.fromEksClusterAttributes(stack, 'Shared', { clusterName: 'legacy', vpc, podIdentityAgent: false });
    expect(() => new EksServing(stack, 'Model', { modelName: 'fraud-scorer', decision: CPU, modelRepository, vpc, image, cluster })).toThrow(
      /invalid cluster.podIdentityAgent = false; a cluster running the EKS Pod Identity agent/,
    );
  });

  test('a cluster without EKS Auto Mode load balancing (the model could not be reached)', () => {
    const { stack, vpc, modelRepository, image } = environment();
    const cluster = EksCluster.fromEksClusterAttributes(stack, 'Shared', { clusterName: 'legacy', vpc, loadBalancing: false });
    expect(() => new EksServing(stack, 'Model', { modelName: 'fraud-scorer', decision: CPU, modelRepository, vpc, image, cluster })).toThrow(
      /invalid cluster.loadBalancing = false; a cluster with EKS Auto Mode load balancing/,
    );
  });
});

describe('EksServing under every policy gate', () => {
  test('cluster + CPU and GPU models synthesize with zero unacknowledged findings', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk.out-eks-gates-'));
    try {
      const app = new App({ context: cdkContext(), outdir });
      const stack = new Stack(app, 'EksGates');
      const network = new PlatformNetwork(stack, 'Network');
      const modelRepository = new ModelRepository(stack, 'Repository');
      const image = new ecrAssets.DockerImageAsset(stack, 'Image', { directory: IMAGE_DIRECTORY });
      const cluster = new EksCluster(stack, 'Cluster', { vpc: network.vpc, clusterName: 'mlops-prod-serving' });
      for (const [id, modelName, decision] of [
        ['FraudScorer', 'fraud-scorer', CPU],
        ['DocEmbedder', 'doc-embedder', GPU],
      ] as const) {
        new EksServing(stack, id, { modelName, decision, modelRepository, vpc: network.vpc, image, cluster });
      }
      registerPolicyGates(app);
      let synthError: unknown;
      try {
        app.synth();
      } catch (error) {
        synthError = error;
      }
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
      };
      const findings = report.pluginReports.flatMap((plugin) =>
        plugin.violations.flatMap((violation) => violation.violatingConstructs.map((c) => `${plugin.pluginName} ${violation.ruleName} ${c.constructPath}`)),
      );
      expect(findings).toEqual([]);
      expect(synthError).toBeUndefined();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
