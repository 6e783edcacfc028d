import { Testing } from 'cdktf';
import { ServingKubernetesStack, type ServingKubernetesStackProps } from '../../../../constructs/kubernetes';
import { countOf, prodEksSizing, resourceOf, type TerraformJson } from './support';

function synth(props: ServingKubernetesStackProps): TerraformJson {
  const stack = new ServingKubernetesStack(Testing.app(), 'k8s', props);
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

const BOTH = [
  { modelName: 'fraud-scorer', sizing: prodEksSizing('fraud-scorer') },
  { modelName: 'doc-embedder', sizing: prodEksSizing('doc-embedder') },
];

describe('ServingKubernetesStack defaults', () => {
  const json = synth({ models: BOTH });

  test('the kubernetes provider talks to the private endpoint with the CA and an aws eks get-token exec credential', () => {
    expect(json.provider.kubernetes).toEqual([
      {
        host: '${var.cluster_endpoint}',
        cluster_ca_certificate: '${base64decode(var.cluster_ca_certificate)}',
        exec: [
          {
            api_version: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', '${var.cluster_name}', '--region', '${var.aws_region}', '--output', 'json'],
          },
        ],
      },
    ]);
  });

  test('values known only after the CDK deploy are required, non-null string variables', () => {
    for (const name of [
      'cluster_name',
      'cluster_endpoint',
      'cluster_ca_certificate',
      'aws_region',
      'serving_image',
      'serving_cuda_image',
      'model_repository_uri',
      'load_balancer_subnet_ids',
      'load_balancer_subnet_cidrs',
      'load_balancer_client_cidrs',
    ]) {
      expect([name, json.variable[name]]).toEqual([name, expect.objectContaining({ type: 'string', nullable: false })]);
      expect(json.variable[name].default).toBeUndefined();
    }
  });

  test('each model starts from the pin given as <model>_served_version (default none)', () => {
    expect(json.variable['fraud-scorer_served_version']).toMatchObject({ type: 'string', default: 'none' });
    expect(resourceOf(json, 'kubernetes_deployment_v1', 'fraud-scorer_').spec.template.metadata.annotations['mlops.blueprint/served-model-version']).toBe(
      '${var.fraud-scorer_served_version}',
    );
  });

  test('one workload per EKS model, wired to the image and repository variables', () => {
    expect(countOf(json, 'kubernetes_namespace_v1')).toBe(2);
    const container = resourceOf(json, 'kubernetes_deployment_v1', 'doc-embedder_').spec.template.spec.container[0];
    // The GPU model runs the CUDA image and requires its CUDA provider; the CPU model the CPU image.
    expect(container.image).toBe('${var.serving_cuda_image}');
    expect(container.env).toContainEqual({ name: 'EXECUTION_PROVIDERS', value: 'cuda' });
    expect(container.env).toContainEqual({ name: 'MODEL_REPOSITORY', value: '${var.model_repository_uri}' });
    const cpu = resourceOf(json, 'kubernetes_deployment_v1', 'fraud-scorer_').spec.template.spec.container[0];
    expect(cpu.image).toBe('${var.serving_image}');
    expect(cpu.env).toContainEqual({ name: 'EXECUTION_PROVIDERS', value: 'cpu' });
  });

  test('the NVIDIA device plugin runs on GPU nodes only, tolerating their taint, without privileges', () => {
    const daemonSet = resourceOf(json, 'kubernetes_daemon_set_v1');
    expect(daemonSet.metadata).toMatchObject({ name: 'nvidia-device-plugin', namespace: 'kube-system' });
    const spec = daemonSet.spec.template.spec;
    expect(spec.node_selector).toEqual({ 'mlops.blueprint/accelerator': 'nvidia' });
    expect(spec.toleration).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.container[0].image).toBe('nvcr.io/nvidia/k8s-device-plugin:v0.17.1');
    expect(spec.container[0].security_context).toEqual({ allow_privilege_escalation: false, capabilities: { drop: ['ALL'] }, read_only_root_filesystem: true });
    expect(spec.volume).toEqual([{ name: 'device-plugin', host_path: { path: '/var/lib/kubelet/device-plugins', type: 'Directory' } }]);
  });

  test("the Cluster Autoscaler discovers this cluster's node groups with the pod-identity service account and least RBAC", () => {
    const deployment = resourceOf(json, 'kubernetes_deployment_v1', 'ClusterAutoscaler_');
    expect(deployment.metadata).toMatchObject({ name: 'cluster-autoscaler', namespace: 'kube-system' });
    const spec = deployment.spec.template.spec;
    expect(spec.service_account_name).toMatch(/kubernetes_service_account_v1\.ClusterAutoscaler_ServiceAccount_\w+\.metadata\[0\]\.name/);
    expect(spec.priority_class_name).toBe('system-cluster-critical');
    expect(spec.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } });
    const container = spec.container[0];
    expect(container.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0');
    expect(container.command).toEqual(
      expect.arrayContaining([
        '--cloud-provider=aws',
        '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${var.cluster_name}',
        '--balance-similar-node-groups',
      ]),
    );
    expect(container.env).toEqual([{ name: 'AWS_REGION', value: '${var.aws_region}' }]);
    expect(container.security_context).toEqual({ allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } });
    expect(resourceOf(json, 'kubernetes_service_account_v1', 'ClusterAutoscaler_').metadata).toMatchObject({
      name: 'cluster-autoscaler',
      namespace: 'kube-system',
    });
    const rules = resourceOf(json, 'kubernetes_cluster_role_v1', 'ClusterAutoscaler_').rule as Array<{
      resources: string[];
      verbs: string[];
      resource_names?: string[];
    }>;
    expect(rules).toContainEqual({ api_groups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get', 'update'] });
    expect(rules.flatMap((rule) => rule.verbs)).not.toContain('*');
    expect(resourceOf(json, 'kubernetes_cluster_role_binding_v1', 'ClusterAutoscaler_').subject).toEqual([
      { kind: 'ServiceAccount', name: 'cluster-autoscaler', namespace: 'kube-system' },
    ]);
    expect(resourceOf(json, 'kubernetes_role_binding_v1', 'ClusterAutoscaler_').role_ref).toMatchObject({ kind: 'Role' });
  });

  test('an output per model names its in-cluster endpoint', () => {
    expect(json.output?.['fraud-scorer-endpoint'].value).toMatch(
      /^http:\/\/model-server\.\$\{kubernetes_namespace_v1\.fraud-scorer_Namespace_\w+\.metadata\[0\]\.name\}\.svc\.cluster\.local:8080$/,
    );
  });

  test('every model gets an internal NLB in the load-balancer subnets, open to the client CIDRs, and an output with its address', () => {
    for (const model of ['fraud-scorer', 'doc-embedder']) {
      const service = resourceOf(json, 'kubernetes_service_v1', `${model}_LoadBalancerService`);
      expect(service.metadata.annotations).toMatchObject({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
        'service.beta.kubernetes.io/aws-load-balancer-subnets': '${var.load_balancer_subnet_ids}',
      });
      expect(service.spec.load_balancer_source_ranges).toBe('${split(",", var.load_balancer_client_cidrs)}');
      // One CIDR per zone (two by default) from the comma-separated variable: the LB subnets, not the pods' subnets.
      expect(resourceOf(json, 'kubernetes_network_policy_v1', `${model}_`).spec.ingress[0].from.slice(1)).toEqual([
        { ip_block: { cidr: '${element(split(",", var.load_balancer_subnet_cidrs), 0)}' } },
        { ip_block: { cidr: '${element(split(",", var.load_balancer_subnet_cidrs), 1)}' } },
      ]);
      expect(json.output?.[`${model}-load-balancer-endpoint`].value).toMatch(
        new RegExp(
          `^http://\\$\\{kubernetes_service_v1\\.${model}_LoadBalancerService_\\w+\\.status\\[0\\]\\.load_balancer\\[0\\]\\.ingress\\[0\\]\\.hostname\\}:8080$`,
        ),
      );
    }
  });
});

describe('ServingKubernetesStack custom props', () => {
  test('cluster name and region defaults come from the environment', () => {
    const json = synth({ models: BOTH, clusterName: 'team-cluster', awsRegion: 'eu-west-1' });
    expect(json.variable.cluster_name.default).toBe('team-cluster');
    expect(json.variable.aws_region.default).toBe('eu-west-1');
  });

  test('no GPU model: no device plugin', () => {
    const json = synth({ models: [BOTH[0]] });
    expect(countOf(json, 'kubernetes_daemon_set_v1')).toBe(0);
    expect(countOf(json, 'kubernetes_namespace_v1')).toBe(1);
  });

  test('clusterAutoscaler false (a shared cluster): no autoscaler objects', () => {
    const json = synth({ models: BOTH, clusterAutoscaler: false });
    // The one cluster role left is the metrics collector's.
    expect(Object.values(json.resource.kubernetes_cluster_role_v1 ?? {}).map((role: any) => role.metadata.name)).toEqual(['aps-collector-role']);
    expect(countOf(json, 'kubernetes_deployment_v1')).toBe(2);
  });

  test('the AMP scraper user may discover pods and GET /metrics, read-only', () => {
    const json = synth({ models: BOTH });
    const role = resourceOf(json, 'kubernetes_cluster_role_v1', 'MetricsCollector');
    expect(role.rule.flatMap((rule: { verbs: string[] }) => rule.verbs).every((verb: string) => ['describe', 'get', 'list', 'watch'].includes(verb))).toBe(
      true,
    );
    expect(role.rule).toContainEqual(expect.objectContaining({ non_resource_urls: ['/metrics'], verbs: ['get'] }));
    const binding = resourceOf(json, 'kubernetes_cluster_role_binding_v1', 'MetricsCollector');
    expect(binding.subject).toEqual([{ kind: 'User', name: 'aps-collector-user', api_group: 'rbac.authorization.k8s.io' }]);
  });

  test('no EKS model: the provider and variables only', () => {
    const json = synth({ models: [] });
    expect(json.resource ?? {}).toEqual({});
    expect(json.variable.load_balancer_subnet_ids).toBeUndefined();
    expect(json.provider.kubernetes).toHaveLength(1);
  });

  test('internetFacingCertificateArn: every NLB is internet-facing with TLS on 443; loadBalancerZones sets how many subnet CIDRs are admitted', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
    const json = synth({ models: BOTH, internetFacingCertificateArn: certificateArn, loadBalancerZones: 3 });
    const service = resourceOf(json, 'kubernetes_service_v1', 'fraud-scorer_LoadBalancerService');
    expect(service.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': certificateArn,
    });
    expect(service.spec.port).toEqual([{ name: 'https', port: 443, target_port: 'http', protocol: 'TCP' }]);
    expect(json.variable.load_balancer_subnet_ids.description).toMatch(/public subnets/);
    expect(resourceOf(json, 'kubernetes_network_policy_v1', 'fraud-scorer_').spec.ingress[0].from).toHaveLength(4);
    expect(json.output?.['fraud-scorer-load-balancer-endpoint'].value).toMatch(/^https:\/\/.*:443$/);
  });

  test('ingress CIDRs and the drain timeout reach every workload', () => {
    const json = synth({ models: BOTH, ingressCidrs: ['10.0.1.0/24'], drainTimeoutSeconds: 5 });
    for (const model of ['fraud-scorer_', 'doc-embedder_']) {
      expect(resourceOf(json, 'kubernetes_network_policy_v1', model).spec.ingress[0].from).toContainEqual({ ip_block: { cidr: '10.0.1.0/24' } });
      expect(resourceOf(json, 'kubernetes_deployment_v1', model).spec.template.spec.termination_grace_period_seconds).toBe(20);
    }
  });
});
