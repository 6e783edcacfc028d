import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { ClusterRoleV1, type ClusterRoleV1Rule } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';
import { CLUSTER_AUTOSCALER } from './workload-names';

export interface ClusterAutoscalerProps {
  /** Cluster name: the Auto Scaling group tag `k8s.io/cluster-autoscaler/<name>` the autoscaler discovers node groups by. */
  readonly clusterName: string;
  readonly awsRegion: string;

  /**
   * Image; its minor version should match the cluster's Kubernetes minor version.
   * @default 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0'
   */
  readonly image?: string;
}

/** ClusterRole rules of the upstream AWS example (cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml). */
const CLUSTER_RULES: ClusterRoleV1Rule[] = [
  { apiGroups: [''], resources: ['events', 'endpoints'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['update'] },
  { apiGroups: [''], resources: ['endpoints'], resourceNames: ['cluster-autoscaler'], verbs: ['get', 'update'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get', 'update'] },
  {
    apiGroups: [''],
    resources: ['namespaces', 'pods', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes'],
    verbs: ['watch', 'list', 'get'],
  },
  { apiGroups: ['extensions'], resources: ['replicasets', 'daemonsets'], verbs: ['watch', 'list', 'get'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['watch', 'list'] },
  { apiGroups: ['apps'], resources: ['statefulsets', 'replicasets', 'daemonsets'], verbs: ['watch', 'list', 'get'] },
  {
    apiGroups: ['storage.k8s.io'],
    resources: ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities', 'volumeattachments'],
    verbs: ['watch', 'list', 'get'],
  },
  { apiGroups: ['batch', 'extensions'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resourceNames: ['cluster-autoscaler'], resources: ['leases'], verbs: ['get', 'update'] },
];

/**
 * The Cluster Autoscaler: grows a model's node group (up to its decided maximum) when pods are pending and shrinks it
 * when nodes sit idle. AWS credentials come from the pod identity role `EksCluster` creates for
 * `kube-system/cluster-autoscaler`; it discovers node groups by the tags EKS puts on managed node group ASGs.
 */
export class ClusterAutoscaler extends Construct {
  readonly serviceAccount: ServiceAccountV1;
  readonly clusterRole: ClusterRoleV1;
  readonly role: RoleV1;
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const image = props.image ?? 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0';
    const { namespace, serviceAccount: name } = CLUSTER_AUTOSCALER;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'mlops-blueprint' };
    const metadata = { name, namespace, labels };
    const subject = [{ kind: 'ServiceAccount', name, namespace }];

    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', { metadata });
    this.clusterRole = new ClusterRoleV1(this, 'ClusterRole', { metadata: { name, labels }, rule: CLUSTER_RULES });
    new ClusterRoleBindingV1(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.metadata.name },
      subject,
    });
    this.role = new RoleV1(this, 'Role', {
      metadata,
      rule: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['cluster-autoscaler-status', 'cluster-autoscaler-priority-expander'],
          verbs: ['delete', 'get', 'update', 'watch'],
        },
      ],
    });
    new RoleBindingV1(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.role.metadata.name },
      subject,
    });

    this.deployment = new DeploymentV1(this, 'Deployment', {
      metadata,
      spec: {
        replicas: '1',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } },
          spec: {
            serviceAccountName: this.serviceAccount.metadata.name,
            priorityClassName: 'system-cluster-critical',
            securityContext: { runAsNonRoot: true, runAsUser: '65534', fsGroup: '65534', seccompProfile: { type: 'RuntimeDefault' } },
            container: [
              {
                name: 'cluster-autoscaler',
                image,
                command: [
                  './cluster-autoscaler',
                  '--cloud-provider=aws',
                  `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${props.clusterName}`,
                  '--expander=least-waste',
                  '--balance-similar-node-groups',
                  '--skip-nodes-with-system-pods=false',
                  '--skip-nodes-with-local-storage=false',
                  '--stderrthreshold=info',
                  '--v=2',
                ],
                env: [{ name: 'AWS_REGION', value: props.awsRegion }],
                resources: { requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '100m', memory: '600Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    });
  }
}
