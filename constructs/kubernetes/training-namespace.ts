import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';
import { RESTRICTED_NAMESPACE_LABELS } from './restricted-pod-security';
import { POD_IDENTITY_AGENT } from './serving-network-policy';
import { GPU_RESOURCE, TRAINER_SERVICE_ACCOUNT, TRAINING_NAMESPACE } from './workload-names';

export interface TrainingNamespaceProps {
  /** GPUs all pods of the namespace together may request (`training.eks.gpuQuota`). */
  readonly gpuQuota: number;
}

export class InvalidTrainingNamespaceError extends Error {
  constructor(field: string, value: unknown, allowed: string) {
    super(`TrainingNamespace: invalid ${field} = ${JSON.stringify(value)}; ${allowed}`);
    this.name = 'InvalidTrainingNamespaceError';
  }
}

/**
 * Where EKS training runs: the `training` namespace under the restricted Pod Security Standard, a ResourceQuota on
 * `requests.nvidia.com/gpu` (what all runs together may hold of the GPU node group), container defaults for pods
 * that declare no resources, the `trainer` service account (no API token), and a NetworkPolicy that admits traffic
 * only between the namespace's own pods (torchrun rendezvous, NCCL) and lets them reach DNS, HTTPS and the pod
 * identity agent.
 */
export class TrainingNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly resourceQuota: ResourceQuotaV1;
  readonly limitRange: LimitRangeV1;
  readonly serviceAccount: ServiceAccountV1;
  readonly networkPolicy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: TrainingNamespaceProps) {
    super(scope, id);
    if (!Number.isInteger(props.gpuQuota) || props.gpuQuota < 1)
      throw new InvalidTrainingNamespaceError('gpuQuota', props.gpuQuota, 'a whole number of GPUs, at least 1');
    const labels = { 'app.kubernetes.io/part-of': 'mlops-blueprint', 'app.kubernetes.io/managed-by': 'terraform' };
    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: TRAINING_NAMESPACE,
        labels: { ...labels, ...RESTRICTED_NAMESPACE_LABELS },
      },
    });
    const namespace = this.namespace.metadata.name;
    const meta = (name: string) => ({ name, namespace, labels });

    this.resourceQuota = new ResourceQuotaV1(this, 'ResourceQuota', {
      metadata: meta('training-gpus'),
      spec: { hard: { [`requests.${GPU_RESOURCE}`]: String(props.gpuQuota) } },
    });
    this.limitRange = new LimitRangeV1(this, 'LimitRange', {
      metadata: meta('container-defaults'),
      spec: { limit: [{ type: 'Container', default: { cpu: '1', memory: '2Gi' }, defaultRequest: { cpu: '500m', memory: '1Gi' } }] },
    });
    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', { metadata: meta(TRAINER_SERVICE_ACCOUNT), automountServiceAccountToken: false });

    const tcp = (port: string | number) => ({ port: String(port), protocol: 'TCP' });
    this.networkPolicy = new NetworkPolicyV1(this, 'NetworkPolicy', {
      metadata: meta('training'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [
          { to: [{ podSelector: {} }] },
          {
            to: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
            ],
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
          },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [tcp(443)] },
          { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.ipv4 } }, { ipBlock: { cidr: POD_IDENTITY_AGENT.ipv6 } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
        ],
      },
    });
  }
}
