import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ManagedPolicyRole } from '../shared/managed-policy-role';

export interface PodIdentityRoleOptions {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly description: string;
}

export interface PodIdentityRole {
  readonly role: iam.Role;
  readonly association: eks.CfnPodIdentityAssociation;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: `<idPrefix>Role` and
 * `<idPrefix>IdentityAssociation` under `scope`. Only EKS Pod Identity, for this account, this cluster and this
 * namespace/service account, may assume the role; the service sets the session tags the conditions check
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html).
 */
export function addPodIdentityRole(scope: Construct, idPrefix: string, options: PodIdentityRoleOptions): PodIdentityRole {
  const principal = new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')).withConditions({
    StringEquals: {
      'aws:SourceAccount': Stack.of(scope).account,
      'aws:RequestTag/eks-cluster-arn': options.clusterArn,
      'aws:RequestTag/kubernetes-namespace': options.namespace,
      'aws:RequestTag/kubernetes-service-account': options.serviceAccount,
    },
  });
  const role = new ManagedPolicyRole(scope, `${idPrefix}Role`, { assumedBy: principal, description: options.description });
  const association = new eks.CfnPodIdentityAssociation(scope, `${idPrefix}IdentityAssociation`, {
    clusterName: options.clusterName,
    namespace: options.namespace,
    serviceAccount: options.serviceAccount,
    roleArn: role.roleArn,
  });
  return { role, association };
}
