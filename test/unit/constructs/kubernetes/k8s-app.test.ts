import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ModelRepository } from '../../../../constructs/model-registry/model-repository';
import { PlatformNetwork } from '../../../../constructs/network';
import { loadEnvironment } from '../../../../lib/config';
import { parseArguments, synthKubernetes, UsageError } from '../../../../stacks/k8s-app';
import { ServingStack } from '../../../../stacks/serving-stack';
import { testMetricsWorkspace } from '../serving/fixtures/serving-fixture';
import { fastCdkContext, REPO_ROOT } from '../../../support/cdk-context';

const CDK_JSON = join(REPO_ROOT, 'cdk.json');

describe('synth:k8s arguments', () => {
  test('defaults: the CDK default environment, cdktf.out, cdk.json, no ingress CIDRs', () => {
    expect(parseArguments([])).toEqual({
      environment: undefined,
      outdir: 'cdktf.out',
      cdkJsonPath: 'cdk.json',
      ingressCidrs: [],
      internetFacingCertificateArn: undefined,
    });
  });

  test('--internet-facing-certificate takes an ACM certificate ARN', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
    expect(parseArguments(['--internet-facing-certificate', arn]).internetFacingCertificateArn).toBe(arn);
  });

  test.each([[['-c', 'env=prod']], [['--context', 'env=prod']], [['--env', 'prod']]])('%j picks prod', (argv) => {
    expect(parseArguments(argv).environment).toBe('prod');
  });

  test('outdir, cdk.json path and repeated ingress CIDRs', () => {
    expect(parseArguments(['--outdir', 'out', '--cdk-json', 'x.json', '--ingress-cidr', '10.0.0.0/24', '--ingress-cidr', '10.0.1.0/24'])).toMatchObject({
      outdir: 'out',
      cdkJsonPath: 'x.json',
      ingressCidrs: ['10.0.0.0/24', '10.0.1.0/24'],
    });
  });

  test.each([
    [['--envv', 'prod'], /Unknown option '--envv'.*allowed flags: -c env=NAME/],
    [['-c', 'prod'], /-c prod: expected KEY=VALUE, e.g. -c env=prod/],
    [['-c', 'region=eu-west-1'], /-c region: the only context key is env/],
    [['--ingress-cidr', '10.0.0.0'], /--ingress-cidr 10.0.0.0: expected an IPv4 CIDR block/],
    [['--internet-facing-certificate', 'my-cert'], /--internet-facing-certificate my-cert: expected an ACM certificate ARN/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArguments(argv)).toThrow(UsageError);
    expect(() => parseArguments(argv)).toThrow(message);
  });
});

describe('synthKubernetes', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  test('prod: the EKS models the decision matrix chose, with the device plugin, as Terraform JSON in the outdir', () => {
    const { stackName, stack } = synthKubernetes({ environment: 'prod', outdir, cdkJsonPath: CDK_JSON, ingressCidrs: [] });
    expect(stackName).toBe('mlops-prod-serving-k8s');
    expect(stack.workloads.map((w) => w.node.id)).toEqual(['fraud-scorer', 'doc-embedder']);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.resource.kubernetes_deployment_v1)).toHaveLength(3); // two models + the cluster autoscaler
    expect(stack.clusterAutoscaler).toBeDefined();
    expect(Object.keys(json.resource.kubernetes_daemon_set_v1)).toHaveLength(1);
    expect(json.variable.cluster_name.default).toBe('mlops-prod-serving-cluster');
    // prod names three zones: one load-balancer subnet CIDR per zone is admitted by each model's network policy.
    const policies = Object.entries(json.resource.kubernetes_network_policy_v1 as Record<string, any>);
    expect(policies.find(([name]) => name.startsWith('fraud-scorer_'))![1].spec.ingress[0].from).toHaveLength(4);
  });

  test('prod: the Terraform matches what the CDK serving stack creates (cluster name, same decisions, namespaces, service accounts, node labels)', () => {
    const { stack: k8s, stackName } = synthKubernetes({ environment: 'prod', outdir, cdkJsonPath: CDK_JSON, ingressCidrs: [] });
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8'));
    // The serving stack alone, wired as stacks/platform-app.ts wires it (the full platform also bundles every Lambda).
    const app = new App({ context: fastCdkContext() });
    const { config } = loadEnvironment(fastCdkContext().environments, 'prod');
    const dependencies = new Stack(app, 'dependencies');
    const serving = new ServingStack(app, 'mlops-prod-serving', {
      config,
      vpc: new PlatformNetwork(dependencies, 'Network').vpc,
      modelRepository: new ModelRepository(dependencies, 'Repository'),
      metricsWorkspace: testMetricsWorkspace(dependencies),
      imageDirectory: join(__dirname, '..', 'serving', 'fixtures', 'serving-image'),
    });
    const cdk = Template.fromStack(serving);

    cdk.hasResourceProperties('AWS::EKS::Cluster', { Name: json.variable.cluster_name.default });
    const associations = Object.values(cdk.findResources('AWS::EKS::PodIdentityAssociation')).map(
      (r) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`,
    );
    expect(associations).toContain('kube-system/cluster-autoscaler');
    const serviceAccounts = Object.values(json.resource.kubernetes_service_account_v1 as Record<string, { metadata: { name: string } }>).map(
      (sa) => sa.metadata.name,
    );
    expect(k8s.models.map((m) => m.modelName)).toEqual(['fraud-scorer', 'doc-embedder']);
    for (const { modelName, sizing } of k8s.models) {
      expect(associations).toContain(`serving-${modelName}/${modelName}-server`);
      expect(serviceAccounts).toContain(`${modelName}-server`);
      const nodegroup = Object.values(cdk.findResources('AWS::EKS::Nodegroup')).find((r) => r.Properties.Labels['mlops.blueprint/model'] === modelName);
      expect(nodegroup?.Properties.InstanceTypes).toEqual([sizing.nodeInstanceType]);
      expect(nodegroup?.Properties.ScalingConfig.MaxSize).toBeGreaterThanOrEqual(sizing.maxNodes);
    }
    // Every value the CDK outputs for the Terraform names a variable the Terraform has (load balancer subnets included).
    const named = Object.values(cdk.findOutputs('*')).flatMap((o) => [...String(o.Description).matchAll(/-var (\w+)=/g)].map((m) => m[1]));
    expect(named).toEqual(expect.arrayContaining(['cluster_name', 'load_balancer_subnet_ids', 'load_balancer_subnet_cidrs', 'load_balancer_client_cidrs']));
    for (const variable of named) expect([variable, json.variable[variable] !== undefined]).toEqual([variable, true]);
  });

  test('dev serves nothing on EKS: a provider-only stack', () => {
    const { stack } = synthKubernetes({ environment: 'dev', outdir, cdkJsonPath: CDK_JSON, ingressCidrs: [] });
    expect(stack.workloads).toHaveLength(0);
    expect(stack.devicePlugin).toBeUndefined();
  });

  test('an unknown environment is a config error naming the known ones', () => {
    expect(() => synthKubernetes({ environment: 'qa', outdir, cdkJsonPath: CDK_JSON, ingressCidrs: [] })).toThrow(
      /Unknown environment 'qa'.*dev, staging, prod/,
    );
  });

  test('the CLI exits 2 on a bad flag and 1 on a bad config, writing nothing', () => {
    const run = (args: string[]) => {
      try {
        execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [join(REPO_ROOT, 'stacks', 'k8s-app.ts'), ...args], { cwd: REPO_ROOT, stdio: 'pipe' });
        return { status: 0, stderr: '' };
      } catch (error) {
        const failure = error as { status: number; stderr: Buffer };
        return { status: failure.status, stderr: failure.stderr.toString() };
      }
    };
    expect(run(['--bogus', '--outdir', outdir])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^synth:k8s: Unknown option '--bogus'/) });
    const badConfig = join(outdir, 'cdk.json');
    writeFileSync(badConfig, JSON.stringify({ context: { environments: { prod: { removalPolicy: 'sometimes' } } } }));
    expect(run(['--env', 'prod', '--cdk-json', badConfig, '--outdir', join(outdir, 'out')])).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/Invalid configuration for environment 'prod'/),
    });
    expect(existsSync(join(outdir, 'out'))).toBe(false);
  });
});
