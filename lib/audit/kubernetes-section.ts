import type { KubernetesInventory } from './report-schema';
import { at, listOf } from './template-index';
import type { TerraformDocument } from './types';

/** Workload kinds and where their pod template sits. */
const POD_TEMPLATES: Record<string, string[]> = {
  kubernetes_deployment_v1: ['spec', 'template', 'spec'],
  kubernetes_deployment: ['spec', 'template', 'spec'],
  kubernetes_daemon_set_v1: ['spec', 'template', 'spec'],
  kubernetes_daemonset: ['spec', 'template', 'spec'],
  kubernetes_stateful_set_v1: ['spec', 'template', 'spec'],
  kubernetes_job_v1: ['spec', 'template', 'spec'],
  kubernetes_cron_job_v1: ['spec', 'job_template', 'spec', 'template', 'spec'],
  kubernetes_pod_v1: ['spec'],
};

interface Container {
  name?: string;
  security_context?: unknown;
}

const NAMESPACE_REFERENCE = /^\$\{(kubernetes_namespace(?:_v1)?)\.([^.]+)\.metadata\[0\]\.name\}$/;

/** Namespaces with their pod-security level, network policies, and every container with its hardening. */
export function kubernetesInventory(tf: TerraformDocument): KubernetesInventory {
  const resources = tf.document.resource ?? {};
  const stack = tf.stackName;
  const location = (type: string, name: string) => ({ stack, stackPart: 'kubernetes', logicalId: `${type}.${name}` });
  const namespaceNames = new Map<string, string>();
  const namespaces = ['kubernetes_namespace_v1', 'kubernetes_namespace'].flatMap((type) =>
    Object.entries(resources[type] ?? {}).map(([name, body]) => {
      const nsName = String(at(body, 'metadata', 'name') ?? name);
      namespaceNames.set(`${type}.${name}`, nsName);
      return { ...location(type, name), name: nsName, podSecurity: at<string>(body, 'metadata', 'labels', 'pod-security.kubernetes.io/enforce') ?? null };
    }),
  );
  const namespaceOf = (body: unknown) => {
    const raw = String(at(body, 'metadata', 'namespace') ?? 'default');
    const match = NAMESPACE_REFERENCE.exec(raw);
    return match ? (namespaceNames.get(`${match[1]}.${match[2]}`) ?? raw) : raw;
  };
  const networkPolicies = Object.entries(resources.kubernetes_network_policy_v1 ?? resources.kubernetes_network_policy ?? {}).map(([name, body]) => ({
    ...location('kubernetes_network_policy_v1', name),
    namespace: namespaceOf(body),
    policyTypes: listOf(at<string[]>(body, 'spec', 'policy_types')).join(', ') || 'Ingress',
  }));
  const containers = Object.entries(POD_TEMPLATES).flatMap(([type, path]) =>
    Object.entries(resources[type] ?? {}).flatMap(([name, body]) => {
      const pod = at(body, ...path);
      const podNonRoot = at<boolean>(pod, 'security_context', 'run_as_non_root') === true;
      return [...listOf(at<Container[]>(pod, 'init_container')), ...listOf(at<Container[]>(pod, 'container'))].map((c) => ({
        ...location(type, name),
        kind: type.replace(/^kubernetes_/, '').replace(/_v\d+$/, ''),
        container: c.name ?? '(unnamed)',
        nonRoot: (at<boolean>(c, 'security_context', 'run_as_non_root') ?? podNonRoot) === true,
        readOnlyRootFilesystem: at<boolean>(c, 'security_context', 'read_only_root_filesystem') === true,
        dropsAllCapabilities: listOf(at<string[]>(c, 'security_context', 'capabilities', 'drop')).includes('ALL'),
      }));
    }),
  );
  return { namespaces, networkPolicies, containers };
}
