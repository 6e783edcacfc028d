// training.eks from cdk.json to both halves: the CDK serving stack adds the training node group to the environment's
// cluster, and the cdktf app (synth:k8s) adds the training namespace with the same GPU quota and the device plugin.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ModelRepository } from '../../../constructs/model-registry';
import { PlatformNetwork } from '../../../constructs/network';
import { ConfigError, loadEnvironment, type EnvironmentConfig } from '../../../lib/config';
import { synthKubernetes } from '../../../stacks/k8s-app';
import { ServingStack } from '../../../stacks/serving-stack';
import { cdkContext, fastCdkContext, REPO_ROOT } from '../../support/cdk-context';
import { FIXTURE_IMAGE_DIRECTORY, testMetricsWorkspace } from '../constructs/serving/fixtures/serving-fixture';

function servingStack(config: EnvironmentConfig): ServingStack {
  const app = new App({ context: fastCdkContext() });
  const support = new Stack(app, 'Support');
  return new ServingStack(app, 'mlops-prod-serving', {
    config,
    vpc: new PlatformNetwork(support, 'Network').vpc,
    modelRepository: new ModelRepository(support, 'ModelRepository'),
    metricsWorkspace: testMetricsWorkspace(support),
    imageDirectory: FIXTURE_IMAGE_DIRECTORY,
  });
}

describe('training.eks in prod', () => {
  const { config } = loadEnvironment(cdkContext().environments, 'prod');
  const stack = servingStack(config);
  const template = Template.fromStack(stack);

  test("the CDK serving stack adds a spot GPU training node group from zero to maxNodes to the environment's cluster", () => {
    expect(stack.trainingNodegroup).toBeDefined();
    const clusterId = stack.getLogicalId((stack.eksCluster as unknown as { cluster: never }).cluster);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: { Ref: clusterId },
      CapacityType: 'SPOT',
      InstanceTypes: config.training!.eks!.instanceTypes,
      ScalingConfig: { MinSize: 0, DesiredSize: 0, MaxSize: config.training!.eks!.maxNodes },
      Labels: { 'mlops.blueprint/accelerator': 'nvidia', 'mlops.blueprint/workload': 'training' },
    });
  });

  test('synth:k8s writes the training namespace with the same GPU quota, the priority classes and the device plugin', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cdktf.outdir-'));
    try {
      const { stackName, stack: k8s } = synthKubernetes({ environment: 'prod', outdir, cdkJsonPath: join(REPO_ROOT, 'cdk.json'), ingressCidrs: [] });
      expect(k8s.trainingNamespace).toBeDefined();
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8'));
      const quotas = Object.values(json.resource.kubernetes_resource_quota_v1 as Record<string, { spec: { hard: Record<string, string> } }>);
      expect(quotas.map((q) => q.spec.hard['requests.nvidia.com/gpu'])).toContain(String(config.training!.eks!.gpuQuota));
      expect(Object.keys(json.resource.kubernetes_priority_class_v1)).toHaveLength(2);
      expect(Object.keys(json.resource.kubernetes_daemon_set_v1)).toHaveLength(1);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

test('training.eks where the environment has no EKS cluster fails synth with one line naming the key', () => {
  const { config } = loadEnvironment(cdkContext().environments, 'staging');
  const withEks = {
    ...config,
    training: { ...config.training!, eks: { instanceTypes: ['g5.xlarge'], spot: true, maxNodes: 1, gpuQuota: 1, rootVolumeGb: 200 } },
  };
  expect(() => servingStack(withEks)).toThrow(ConfigError);
  expect(() => servingStack(withEks)).toThrow(
    /^training\.eks: set, but this environment has no EKS cluster .*; remove training\.eks or set sharedEksClusterName$/,
  );
});
