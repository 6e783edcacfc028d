/**
 * The restricted Pod Security Standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/), in one
 * place for every namespace and pod the platform writes: namespaces enforce it, pods and containers satisfy it.
 */

/** Namespace labels that make the API server reject any pod breaking the restricted standard. */
export const RESTRICTED_NAMESPACE_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
} as const;

/** Non-root, read-only root filesystem, no privilege escalation, every capability dropped, RuntimeDefault seccomp. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The pod-level half: runs as `uid` (group and volume group too), RuntimeDefault seccomp. */
export function restrictedPodSecurityContext(uid: number) {
  return { runAsNonRoot: true, runAsUser: String(uid), runAsGroup: String(uid), fsGroup: String(uid), seccompProfile: { type: 'RuntimeDefault' } };
}
