import { SERVING_CONTAINER, ServingWorkload, type ServingLoadBalancerProps, type ServingWorkloadProps } from '../../../../constructs/kubernetes';
import type { EksSizing } from '../../../../lib/decision';
import { countOf, prodEksSizing, resourceOf, synthJson, type TerraformJson } from './support';

const CPU = prodEksSizing('fraud-scorer');
const GPU = prodEksSizing('doc-embedder');

function synth(overrides: Partial<ServingWorkloadProps> = {}): TerraformJson {
  return synthJson((scope) => {
    new ServingWorkload(scope, 'W', {
      modelName: 'fraud-scorer',
      sizing: CPU,
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/serving:abc',
      modelRepositoryUri: 's3://repo-bucket/models/',
      awsRegion: 'us-east-1',
      ...overrides,
    });
  });
}

const podSpec = (json: TerraformJson) => resourceOf(json, 'kubernetes_deployment_v1').spec.template.spec;
const container = (json: TerraformJson) => podSpec(json).container[0];
const SELECTOR = { 'app.kubernetes.io/name': 'model-server', 'app.kubernetes.io/instance': 'fraud-scorer' };

describe('ServingWorkload defaults (CPU model, HA)', () => {
  const json = synth();

  test('one of every object: namespace, quota, limit range, service account, deployment, service, HPA, PDB, network policy', () => {
    for (const type of [
      'kubernetes_namespace_v1',
      'kubernetes_resource_quota_v1',
      'kubernetes_limit_range_v1',
      'kubernetes_service_account_v1',
      'kubernetes_deployment_v1',
      'kubernetes_service_v1',
      'kubernetes_horizontal_pod_autoscaler_v2',
      'kubernetes_pod_disruption_budget_v1',
      'kubernetes_network_policy_v1',
    ]) {
      expect([type, countOf(json, type)]).toEqual([type, 1]);
    }
  });

  test('the namespace is serving-<model> and enforces the restricted Pod Security Standard', () => {
    expect(resourceOf(json, 'kubernetes_namespace_v1').metadata).toMatchObject({
      name: 'serving-fraud-scorer',
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
  });

  test('every namespaced object lives in the namespace resource (so Terraform creates the namespace first)', () => {
    for (const type of ['kubernetes_service_account_v1', 'kubernetes_deployment_v1', 'kubernetes_service_v1', 'kubernetes_network_policy_v1']) {
      expect(resourceOf(json, type).metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.W_Namespace_\w+\.metadata\[0\]\.name\}$/);
    }
  });

  test('the quota caps the namespace at maxReplicas + 1 pods of the decided size (room for one surge pod)', () => {
    const pods = CPU.maxReplicas + 1;
    expect(resourceOf(json, 'kubernetes_resource_quota_v1').spec.hard).toEqual({
      'limits.cpu': `${CPU.pod.cpuLimitMillicores * pods}m`,
      'limits.memory': `${CPU.pod.memoryLimitMiB * pods}Mi`,
      pods: String(pods),
    });
  });

  test('the limit range gives other containers in the namespace default requests and limits', () => {
    expect(resourceOf(json, 'kubernetes_limit_range_v1').spec.limit[0]).toMatchObject({ type: 'Container', default: { cpu: '250m', memory: '256Mi' } });
  });

  test('the service account has the name the pod identity association binds and mounts no API token', () => {
    expect(resourceOf(json, 'kubernetes_service_account_v1')).toMatchObject({
      metadata: { name: 'fraud-scorer-server' },
      automount_service_account_token: false,
    });
    expect(podSpec(json).service_account_name).toMatch(/kubernetes_service_account_v1\.W_ServiceAccount_\w+\.metadata\[0\]\.name/);
    expect(podSpec(json).automount_service_account_token).toBe(false);
  });

  test('liveness, readiness and startup probes use the Open Inference Protocol health routes on the http port', () => {
    const c = container(json);
    expect(c.liveness_probe.http_get).toEqual({ path: '/v2/health/live', port: 'http' });
    expect(c.readiness_probe.http_get).toEqual({ path: '/v2/health/ready', port: 'http' });
    expect(c.startup_probe.http_get).toEqual({ path: '/v2/health/live', port: 'http' });
    expect(c.port).toEqual([{ name: 'http', container_port: 8080, protocol: 'TCP' }]);
  });

  test('requests equal limits from the decision (Guaranteed QoS), no GPU', () => {
    expect(container(json).resources).toEqual({
      requests: { cpu: `${CPU.pod.cpuRequestMillicores}m`, memory: `${CPU.pod.memoryRequestMiB}Mi` },
      limits: { cpu: `${CPU.pod.cpuLimitMillicores}m`, memory: `${CPU.pod.memoryLimitMiB}Mi` },
    });
    expect(podSpec(json).toleration).toBeUndefined();
  });

  test('container: non-root, read-only root filesystem, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp', () => {
    expect(container(json).security_context).toEqual({
      run_as_non_root: true,
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(podSpec(json).security_context).toEqual({
      run_as_non_root: true,
      run_as_user: SERVING_CONTAINER.user,
      run_as_group: SERVING_CONTAINER.user,
      fs_group: SERVING_CONTAINER.user,
      seccomp_profile: { type: 'RuntimeDefault' },
    });
  });

  test('/tmp is a size-limited emptyDir, the only writable path', () => {
    expect(podSpec(json).volume).toEqual([{ name: 'tmp', empty_dir: { size_limit: '1Gi' } }]);
    expect(container(json).volume_mount).toEqual([{ name: 'tmp', mount_path: '/tmp' }]);
  });

  test('env: MODEL_REPOSITORY, only this model (SERVED_MODELS), region, listen on all interfaces at 8080, the default drain timeout', () => {
    expect(container(json).env).toEqual([
      { name: 'MODEL_REPOSITORY', value: 's3://repo-bucket/models/' },
      { name: 'SERVED_MODELS', value: 'fraud-scorer' },
      { name: 'AWS_REGION', value: 'us-east-1' },
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: '8080' },
      { name: 'DRAIN_TIMEOUT_SECONDS', value: '25' },
      { name: 'EXECUTION_PROVIDERS', value: 'cpu' },
      { name: 'SERVED_MODEL_VERSION', value_from: { field_ref: { field_path: "metadata.annotations['mlops.blueprint/served-model-version']" } } },
    ]);
  });

  test('terminationGracePeriodSeconds exceeds the 25 s drain timeout by the 15 s default margin', () => {
    expect(podSpec(json).termination_grace_period_seconds).toBe(40);
  });

  test('with two or more replicas, zones are a hard spread over at least two zones; hosts a soft one', () => {
    const [zone, host] = podSpec(json).topology_spread_constraint;
    expect(zone).toEqual({
      topology_key: 'topology.kubernetes.io/zone',
      max_skew: 1,
      when_unsatisfiable: 'DoNotSchedule',
      min_domains: 2,
      label_selector: [{ match_labels: SELECTOR }],
    });
    expect(host).toMatchObject({ topology_key: 'kubernetes.io/hostname', when_unsatisfiable: 'ScheduleAnyway' });
  });

  test("pods are pinned to the model's node group", () => {
    expect(podSpec(json).node_selector).toEqual({ 'mlops.blueprint/model': 'fraud-scorer' });
  });

  test('the deployment starts at minReplicas, leaves the replica count to the HPA and rolls without losing capacity', () => {
    const deployment = resourceOf(json, 'kubernetes_deployment_v1');
    expect(deployment.spec.replicas).toBe(String(CPU.minReplicas));
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '0' } });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
  });

  test('the pin is a pod template annotation the container reads as SERVED_MODEL_VERSION; Terraform sets it once and then leaves it to the rollout', () => {
    const deployment = resourceOf(json, 'kubernetes_deployment_v1');
    expect(deployment.spec.template.metadata.annotations['mlops.blueprint/served-model-version']).toBe('none');
    expect(container(json).env).toContainEqual({
      name: 'SERVED_MODEL_VERSION',
      value_from: { field_ref: { field_path: "metadata.annotations['mlops.blueprint/served-model-version']" } },
    });
    expect(deployment.lifecycle).toEqual({
      ignore_changes: ['spec[0].replicas', 'metadata[0].annotations', 'spec[0].template[0].metadata[0].annotations["mlops.blueprint/served-model-version"]'],
    });
    // A version whose pods never become ready fails the rollout after 10 minutes; Terraform does not wait on model versions.
    expect(deployment.spec.progress_deadline_seconds).toBe(600);
    expect(deployment.wait_for_rollout).toBe(false);
  });

  test('the rollout function may get and patch this Deployment only, through its Kubernetes group', () => {
    const role = resourceOf(json, 'kubernetes_role_v1');
    expect(role.metadata.name).toBe('model-rollout');
    expect(role.rule).toEqual([{ api_groups: ['apps'], resources: ['deployments'], resource_names: ['model-server'], verbs: ['get', 'patch'] }]);
    const binding = resourceOf(json, 'kubernetes_role_binding_v1');
    expect(binding.subject).toEqual([{ kind: 'Group', name: 'mlops-model-rollout', api_group: 'rbac.authorization.k8s.io' }]);
    expect(binding.role_ref).toMatchObject({ api_group: 'rbac.authorization.k8s.io', kind: 'Role' });
    expect(binding.metadata.namespace).toBe(role.metadata.namespace);
  });

  test('a ClusterIP service on 8080 selects the pods', () => {
    expect(resourceOf(json, 'kubernetes_service_v1').spec).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      port: [{ name: 'http', port: 8080, target_port: 'http', protocol: 'TCP' }],
    });
  });

  test('the HPA scales the deployment between the decided min and max replicas on the decided CPU target', () => {
    const spec = resourceOf(json, 'kubernetes_horizontal_pod_autoscaler_v2').spec;
    expect(spec).toMatchObject({
      min_replicas: CPU.minReplicas,
      max_replicas: CPU.maxReplicas,
      scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment' },
      metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: CPU.targetCpuUtilizationPercent } } }],
    });
    expect(spec.scale_target_ref.name).toMatch(/kubernetes_deployment_v1\.W_Deployment_\w+\.metadata\[0\]\.name/);
    expect(spec.behavior.scale_down[0].stabilization_window_seconds).toBe(300);
  });

  test('with two or more replicas the PDB lets at most one be disrupted', () => {
    expect(resourceOf(json, 'kubernetes_pod_disruption_budget_v1').spec).toEqual({ selector: { match_labels: SELECTOR }, max_unavailable: '1' });
  });

  test('network policy: ingress only on 8080 from inference-client namespaces; egress only DNS, HTTPS and the pod identity agent', () => {
    const spec = resourceOf(json, 'kubernetes_network_policy_v1').spec;
    expect(spec.pod_selector).toEqual({ match_labels: SELECTOR });
    expect(spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toEqual([
      { from: [{ namespace_selector: { match_labels: { 'mlops.blueprint/inference-client': 'true' } } }], ports: [{ port: '8080', protocol: 'TCP' }] },
    ]);
    expect(spec.egress).toEqual([
      {
        to: [
          { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } }, pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } } },
        ],
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
      { to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: '443', protocol: 'TCP' }] },
      { to: [{ ip_block: { cidr: '169.254.170.23/32' } }, { ip_block: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: '80', protocol: 'TCP' }] },
    ]);
  });
});

describe('ServingWorkload GPU model', () => {
  const json = synth({ modelName: 'doc-embedder', sizing: GPU });

  test('requests nvidia.com/gpu from the decision and tolerates the GPU taint', () => {
    expect(GPU.gpuPerPod).toBe(1);
    expect(container(json).resources.limits).toEqual({ cpu: `${GPU.pod.cpuLimitMillicores}m`, memory: `${GPU.pod.memoryLimitMiB}Mi`, 'nvidia.com/gpu': '1' });
    expect(podSpec(json).toleration).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(podSpec(json).node_selector).toEqual({ 'mlops.blueprint/model': 'doc-embedder' });
  });

  test('the quota bounds GPUs too', () => {
    expect(resourceOf(json, 'kubernetes_resource_quota_v1').spec.hard['requests.nvidia.com/gpu']).toBe(String(GPU.maxReplicas + 1));
  });
});

describe('ServingWorkload custom props', () => {
  const single: EksSizing = { ...CPU, minReplicas: 1, maxReplicas: 3 };
  const json = synth({ sizing: single, drainTimeoutSeconds: 10, terminationMarginSeconds: 5, ingressCidrs: ['10.0.0.0/24'], runAsUser: 2000 });

  test('initialServedVersion is the pin the Deployment starts with', () => {
    const pinned = synth({ initialServedVersion: '7' });
    expect(resourceOf(pinned, 'kubernetes_deployment_v1').spec.template.metadata.annotations['mlops.blueprint/served-model-version']).toBe('7');
  });

  test('drain timeout and margin set the env and the grace period', () => {
    expect(container(json).env).toContainEqual({ name: 'DRAIN_TIMEOUT_SECONDS', value: '10' });
    expect(podSpec(json).termination_grace_period_seconds).toBe(15);
  });

  test('ingress CIDRs are allowed besides the inference-client namespaces', () => {
    expect(resourceOf(json, 'kubernetes_network_policy_v1').spec.ingress[0].from).toContainEqual({ ip_block: { cidr: '10.0.0.0/24' } });
  });

  test('runAsUser sets user, group and fsGroup', () => {
    expect(podSpec(json).security_context).toMatchObject({ run_as_user: '2000', run_as_group: '2000', fs_group: '2000' });
  });

  test('a single replica gets a soft zone spread and a PDB that does not block node drains', () => {
    const [zone] = podSpec(json).topology_spread_constraint;
    expect(zone.when_unsatisfiable).toBe('ScheduleAnyway');
    expect(zone.min_domains).toBeUndefined();
    expect(resourceOf(json, 'kubernetes_pod_disruption_budget_v1').spec).toEqual({ selector: { match_labels: SELECTOR }, min_available: '0' });
  });
});

describe('ServingWorkload load balancer (EKS Auto Mode NLB)', () => {
  const INTERNAL: ServingLoadBalancerProps = { subnetIds: 'subnet-a,subnet-b', subnetCidrs: ['10.0.48.0/26', '10.0.48.64/26'], clientCidrs: ['10.0.0.0/16'] };
  const ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer';

  test('without loadBalancer the model stays in-cluster: one ClusterIP service', () => {
    expect(countOf(synth(), 'kubernetes_service_v1')).toBe(1);
  });

  describe('internal (default)', () => {
    const json = synth({ loadBalancer: INTERNAL });
    const service = resourceOf(json, 'kubernetes_service_v1', 'W_LoadBalancerService');

    test('a LoadBalancer service of the Auto Mode NLB class, pods as IP targets, no node ports, open to the client CIDRs only', () => {
      expect(service.spec).toEqual({
        type: 'LoadBalancer',
        load_balancer_class: 'eks.amazonaws.com/nlb',
        allocate_load_balancer_node_ports: false,
        load_balancer_source_ranges: ['10.0.0.0/16'],
        selector: SELECTOR,
        port: [{ name: 'http', port: 8080, target_port: 'http', protocol: 'TCP' }],
      });
      expect(service.metadata.name).toBe('model-server-lb');
      expect(service.wait_for_load_balancer).toBe(true);
    });

    test('internal, in the given subnets, health-checked on the readiness route, draining longer than the server', () => {
      expect(service.metadata.annotations).toEqual({
        [`${ANNOTATION}-scheme`]: 'internal',
        [`${ANNOTATION}-nlb-target-type`]: 'ip',
        [`${ANNOTATION}-subnets`]: 'subnet-a,subnet-b',
        [`${ANNOTATION}-healthcheck-protocol`]: 'HTTP',
        [`${ANNOTATION}-healthcheck-port`]: 'traffic-port',
        [`${ANNOTATION}-healthcheck-path`]: '/v2/health/ready',
        [`${ANNOTATION}-healthcheck-interval`]: '10',
        [`${ANNOTATION}-target-group-attributes`]: 'deregistration_delay.timeout_seconds=30',
        [`${ANNOTATION}-attributes`]: 'load_balancing.cross_zone.enabled=true',
      });
    });

    test('the network policy admits the load balancer subnets on 8080 and no other new source', () => {
      const [rule, ...others] = resourceOf(json, 'kubernetes_network_policy_v1').spec.ingress;
      expect(others).toEqual([]);
      expect(rule).toEqual({
        from: [
          { namespace_selector: { match_labels: { 'mlops.blueprint/inference-client': 'true' } } },
          { ip_block: { cidr: '10.0.48.0/26' } },
          { ip_block: { cidr: '10.0.48.64/26' } },
        ],
        ports: [{ port: '8080', protocol: 'TCP' }],
      });
    });
  });

  test('internet-facing: TLS on 443 only, with the certificate and the TLS 1.3 policy', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
    const service = resourceOf(
      synth({ loadBalancer: { ...INTERNAL, internetFacing: true, certificateArn } }),
      'kubernetes_service_v1',
      'W_LoadBalancerService',
    );
    expect(service.spec.port).toEqual([{ name: 'https', port: 443, target_port: 'http', protocol: 'TCP' }]);
    expect(service.metadata.annotations).toMatchObject({
      [`${ANNOTATION}-scheme`]: 'internet-facing',
      [`${ANNOTATION}-ssl-cert`]: certificateArn,
      [`${ANNOTATION}-ssl-ports`]: 'https',
      [`${ANNOTATION}-ssl-negotiation-policy`]: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
  });

  test.each([
    [
      'internet-facing without a certificate',
      { ...INTERNAL, internetFacing: true },
      /invalid loadBalancer.certificateArn = undefined; an ACM certificate ARN: an internet-facing load balancer serves TLS only/,
    ],
    ['no client CIDR', { ...INTERNAL, clientCidrs: [] }, /invalid loadBalancer.clientCidrs = \[\]; at least one CIDR block/],
  ] as Array<[string, ServingLoadBalancerProps, RegExp]>)('%s is rejected', (_label, loadBalancer, message) => {
    expect(() => synth({ loadBalancer })).toThrow(message);
  });
});

describe('ServingWorkload validation', () => {
  const build = (overrides: Partial<ServingWorkloadProps>) => () => synth(overrides);

  test.each([
    ['a non-EKS sizing', { sizing: { ...CPU, target: 'fargate' } as unknown as EksSizing }, /invalid sizing.target = "fargate"; 'eks'/],
    ['zero min replicas', { sizing: { ...CPU, minReplicas: 0 } }, /invalid sizing.maxReplicas .*at least minReplicas \(0\), which must be at least 1/],
    ['max below min replicas', { sizing: { ...CPU, minReplicas: 4, maxReplicas: 3 } }, /invalid sizing.maxReplicas = 3; at least minReplicas \(4\)/],
    ['a negative drain timeout', { drainTimeoutSeconds: -1 }, /invalid drainTimeoutSeconds = -1/],
    ['no termination margin', { terminationMarginSeconds: 0 }, /invalid terminationMarginSeconds = 0; at least 1 second/],
    ['root', { runAsUser: 0 }, /invalid runAsUser = 0; a non-root UID/],
    ['a non-S3 repository', { modelRepositoryUri: '/models' }, /invalid modelRepositoryUri = "\/models"; s3:\/\/bucket\/prefix\//],
  ] as Array<[string, Partial<ServingWorkloadProps>, RegExp]>)('%s is rejected', (_label, overrides, message) => {
    expect(build(overrides)).toThrow(message);
  });
});
