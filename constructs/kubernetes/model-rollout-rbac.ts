import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { Construct } from 'constructs';
import { MODEL_DEPLOYMENT, MODEL_ROLLOUT_GROUP } from './workload-names';

export interface ModelRolloutRbacProps {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * What the rollout function may do in one model's namespace: get and patch that model's Deployment, nothing else (no
 * list, no other Deployment, no pods, no secrets). Its EKS access entry maps the function's IAM role to the
 * `MODEL_ROLLOUT_GROUP` group this Role is bound to.
 */
export class ModelRolloutRbac extends Construct {
  readonly role: RoleV1;
  readonly binding: RoleBindingV1;

  constructor(scope: Construct, id: string, props: ModelRolloutRbacProps) {
    super(scope, id);
    const metadata = { name: 'model-rollout', namespace: props.namespace, labels: props.labels };
    this.role = new RoleV1(this, 'Role', {
      metadata,
      rule: [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: [MODEL_DEPLOYMENT.name], verbs: ['get', 'patch'] }],
    });
    this.binding = new RoleBindingV1(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.role.metadata.name },
      subject: [{ kind: 'Group', name: MODEL_ROLLOUT_GROUP, apiGroup: 'rbac.authorization.k8s.io' }],
    });
  }
}
