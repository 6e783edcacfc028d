import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { Construct } from 'constructs';
import { METRICS_COLLECTOR_USER } from './workload-names';

/**
 * What the AMP managed scraper may do in the cluster (AMP user guide, "Configuring your Amazon EKS cluster"): discover
 * pods, endpoints, services and nodes, and GET /metrics. Bound to the Kubernetes user its access entry maps to.
 */
export class MetricsCollectorRbac extends Construct {
  readonly role: ClusterRoleV1;
  readonly binding: ClusterRoleBindingV1;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new ClusterRoleV1(this, 'role', {
      metadata: { name: 'aps-collector-role' },
      rule: [
        {
          apiGroups: [''],
          resources: ['nodes', 'nodes/proxy', 'nodes/metrics', 'services', 'endpoints', 'pods', 'ingresses', 'configmaps'],
          verbs: ['describe', 'get', 'list', 'watch'],
        },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status', 'ingresses'], verbs: ['describe', 'get', 'list', 'watch'] },
        { apiGroups: ['metrics.eks.amazonaws.com'], resources: ['kcm/metrics', 'ksh/metrics'], verbs: ['get'] },
        { nonResourceUrls: ['/metrics'], verbs: ['get'] },
      ],
    });
    this.binding = new ClusterRoleBindingV1(this, 'binding', {
      metadata: { name: 'aps-collector-user-role-binding' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.role.metadata.name },
      subject: [{ kind: 'User', name: METRICS_COLLECTOR_USER, apiGroup: 'rbac.authorization.k8s.io' }],
    });
  }
}
