import { Testing } from 'cdktf';
import { RENDEZVOUS_PORT, ServingKubernetesStack, TrainingJob, type TrainingJobProps } from '../../../../constructs/kubernetes';
import { countOf, prodEksSizing, resourceOf, synthJson, type TerraformJson } from './support';

const IMAGE = '111122223333.dkr.ecr.us-east-1.amazonaws.com/mlops-reference-trainer@sha256:' + 'ab'.repeat(32);
const RUN: TrainingJobProps = {
  runName: 'churn-2026-11-30',
  image: IMAGE,
  nodes: 2,
  gpusPerNode: 1,
  volumeClaimName: 'training-fsx',
  dataPath: 'datasets/dataset=customer-events',
};

function stackJson(props: ConstructorParameters<typeof ServingKubernetesStack>[2]): TerraformJson {
  return JSON.parse(Testing.synth(new ServingKubernetesStack(Testing.app(), 'k8s', props))) as TerraformJson;
}

describe('the training side of the Kubernetes stack', () => {
  const json = stackJson({ models: [{ modelName: 'fraud-scorer', sizing: prodEksSizing('fraud-scorer') }], training: { gpuQuota: 4 } });

  test('a training namespace under the restricted Pod Security Standard', () => {
    expect(resourceOf(json, 'kubernetes_namespace_v1', 'Training_').metadata).toMatchObject({
      name: 'training',
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' },
    });
  });

  test('its ResourceQuota caps requests.nvidia.com/gpu at training.eks.gpuQuota, and a LimitRange gives container defaults', () => {
    const quota = resourceOf(json, 'kubernetes_resource_quota_v1', 'Training_');
    expect(quota.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.Training_Namespace_\w+\.metadata\[0\]\.name\}$/);
    expect(quota.spec).toEqual({ hard: { 'requests.nvidia.com/gpu': '4' } });
    expect(resourceOf(json, 'kubernetes_limit_range_v1', 'Training_').spec).toEqual({
      limit: [{ type: 'Container', default: { cpu: '1', memory: '2Gi' }, default_request: { cpu: '500m', memory: '1Gi' } }],
    });
  });

  test("the trainer service account has no API token, and traffic enters only from the namespace's own pods", () => {
    expect(resourceOf(json, 'kubernetes_service_account_v1', 'Training_')).toMatchObject({
      metadata: { name: 'trainer' },
      automount_service_account_token: false,
    });
    const policy = resourceOf(json, 'kubernetes_network_policy_v1', 'Training_').spec;
    expect(policy.pod_selector).toEqual({});
    expect(policy.policy_types).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([{ from: [{ pod_selector: {} }] }]);
    expect(policy.egress).toContainEqual({
      to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
      ports: [{ port: '443', protocol: 'TCP' }],
    });
  });

  test('PriorityClasses: serving above training; training never preempts; neither is the cluster default', () => {
    const classes = Object.values(json.resource.kubernetes_priority_class_v1);
    const byName = Object.fromEntries(classes.map((c) => [c.metadata.name, c]));
    expect(byName['mlops-serving']).toMatchObject({ value: 100000, preemption_policy: 'PreemptLowerPriority', global_default: false });
    expect(byName['mlops-training']).toMatchObject({ value: 1000, preemption_policy: 'Never', global_default: false });
    expect(byName['mlops-serving'].value).toBeGreaterThan(byName['mlops-training'].value);
  });

  test('serving pods get the serving PriorityClass (through its Terraform reference, so it exists first)', () => {
    const spec = resourceOf(json, 'kubernetes_deployment_v1', 'fraud-scorer_').spec.template.spec;
    expect(spec.priority_class_name).toMatch(/^\$\{kubernetes_priority_class_v1\.PriorityClasses_Serving_\w+\.metadata\[0\]\.name\}$/);
  });

  test('the NVIDIA device plugin runs when training needs GPUs, even with no GPU model served', () => {
    expect(prodEksSizing('fraud-scorer').gpuPerPod).toBe(0);
    expect(countOf(json, 'kubernetes_daemon_set_v1')).toBe(1);
    const none = stackJson({ models: [{ modelName: 'fraud-scorer', sizing: prodEksSizing('fraud-scorer') }] });
    expect(countOf(none, 'kubernetes_daemon_set_v1')).toBe(0);
    expect(countOf(none, 'kubernetes_namespace_v1')).toBe(1);
  });

  test('training alone (no EKS model): namespace, priority classes and device plugin, nothing of serving', () => {
    const only = stackJson({ models: [], training: { gpuQuota: 8 } });
    expect(countOf(only, 'kubernetes_namespace_v1')).toBe(1);
    expect(countOf(only, 'kubernetes_priority_class_v1')).toBe(2);
    expect(countOf(only, 'kubernetes_daemon_set_v1')).toBe(1);
    expect(countOf(only, 'kubernetes_deployment_v1')).toBe(0);
  });
});

describe('TrainingJob: one distributed run', () => {
  const json = synthJson((scope) => {
    new TrainingJob(scope, 'run', { ...RUN, hyperparameters: { epochs: '40', seed: '42' } });
  });
  const job = resourceOf(json, 'kubernetes_job_v1');
  const pod = job.spec.template.spec;
  const container = pod.container[0];

  test('an Indexed Job, one pod per node, all at once, in the training namespace; Terraform does not wait for it', () => {
    expect(job.metadata).toMatchObject({ name: 'churn-2026-11-30', namespace: 'training' });
    expect(job.spec).toMatchObject({ completion_mode: 'Indexed', completions: 2, parallelism: 2, backoff_limit: 6, active_deadline_seconds: 86400 });
    expect(job.wait_for_completion).toBe(false);
    expect(pod.restart_policy).toBe('Never');
  });

  test('evictions (spot reclaim, preemption by serving) do not count as failures', () => {
    expect(job.spec.pod_failure_policy).toEqual({ rule: [{ action: 'Ignore', on_pod_condition: [{ type: 'DisruptionTarget', status: 'True' }] }] });
  });

  test('a headless Service publishing not-ready pods names every index for the torchrun rendezvous on index 0', () => {
    const service = resourceOf(json, 'kubernetes_service_v1');
    expect(service.metadata).toMatchObject({ name: 'churn-2026-11-30', namespace: 'training' });
    expect(service.spec).toMatchObject({
      cluster_ip: 'None',
      publish_not_ready_addresses: true,
      selector: { 'mlops.blueprint/training-run': 'churn-2026-11-30' },
      port: [{ name: 'rendezvous', port: RENDEZVOUS_PORT, target_port: String(RENDEZVOUS_PORT), protocol: 'TCP' }],
    });
    expect(pod.subdomain).toMatch(/^\$\{kubernetes_service_v1\.run_Rendezvous_\w+\.metadata\[0\]\.name\}$/);
    expect(job.spec.template.metadata.labels['mlops.blueprint/training-run']).toBe('churn-2026-11-30');
    expect(container.command).toEqual([
      'python',
      '-m',
      'torch.distributed.run',
      '--nnodes=2',
      '--nproc-per-node=1',
      '--node-rank=$(NODE_RANK)',
      '--master-addr=churn-2026-11-30-0.churn-2026-11-30',
      `--master-port=${RENDEZVOUS_PORT}`,
      '-m',
      'trainer.train',
    ]);
    expect(container.env).toContainEqual({
      name: 'NODE_RANK',
      value_from: { field_ref: { field_path: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
    });
  });

  test('GPU limits equal requests; the pod selects the training nodes and tolerates their GPU taint; training priority', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '3500m', memory: '14336Mi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '3500m', memory: '14336Mi', 'nvidia.com/gpu': '1' },
    });
    expect(pod.node_selector).toEqual({ 'mlops.blueprint/workload': 'training' });
    expect(pod.toleration).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(pod.priority_class_name).toBe('mlops-training');
    expect(pod.service_account_name).toBe('trainer');
    expect(pod.automount_service_account_token).toBe(false);
  });

  test('non-root, read-only root filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp', () => {
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      run_as_group: '1000',
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(container.security_context).toEqual({
      run_as_non_root: true,
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
  });

  test('the shared volume: data read-only, checkpoints and model per run; hyperparameters from a ConfigMap; writable /tmp and /dev/shm', () => {
    expect(container.volume_mount).toEqual([
      { name: 'workspace', mount_path: '/opt/ml/input/data/train', sub_path: 'datasets/dataset=customer-events', read_only: true },
      { name: 'workspace', mount_path: '/opt/ml/checkpoints', sub_path: 'checkpoints/churn-2026-11-30', read_only: false },
      { name: 'workspace', mount_path: '/opt/ml/model', sub_path: 'runs/churn-2026-11-30/model', read_only: false },
      { name: 'hyperparameters', mount_path: '/opt/ml/input/config', read_only: true },
      { name: 'tmp', mount_path: '/tmp' },
      { name: 'shm', mount_path: '/dev/shm' },
    ]);
    expect(pod.volume).toContainEqual({ name: 'workspace', persistent_volume_claim: { claim_name: 'training-fsx' } });
    expect(pod.volume).toContainEqual({ name: 'shm', empty_dir: { medium: 'Memory', size_limit: '2Gi' } });
    const configMap = resourceOf(json, 'kubernetes_config_map_v1');
    expect(JSON.parse(configMap.data['hyperparameters.json'])).toEqual({ epochs: '40', seed: '42' });
  });
});

describe('TrainingJob validation', () => {
  test.each([
    [{ runName: 'Churn_Run' }, /TrainingJob Churn_Run: invalid runName = "Churn_Run"; a DNS label/],
    [{ image: 'trainer:latest' }, /invalid image = "trainer:latest"; an image pinned by digest/],
    [{ nodes: 0 }, /invalid nodes = 0; a whole number of nodes, at least 1/],
    [{ gpusPerNode: 0 }, /invalid gpusPerNode = 0/],
    [{ dataPath: '../secrets' }, /invalid dataPath = "..\/secrets"; a relative path inside the volume/],
    [{ runAsUser: 0 }, /invalid runAsUser = 0; a non-root UID/],
    [{ resources: { cpuMillicores: 10, memoryMiB: 1024 } }, /invalid resources.cpuMillicores = 10/],
  ] as Array<[Partial<TrainingJobProps>, RegExp]>)('%j', (override, message) => {
    expect(() => synthJson((scope) => void new TrainingJob(scope, 'run', { ...RUN, ...override }))).toThrow(message);
  });
});
