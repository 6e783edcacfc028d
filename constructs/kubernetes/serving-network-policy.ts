import { NetworkPolicyV1, type NetworkPolicyV1Metadata } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type { Construct } from 'constructs';
import { INFERENCE_CLIENT_LABEL, SERVING_CONTAINER } from './workload-names';

export interface ServingNetworkPolicyInput {
  readonly metadata: NetworkPolicyV1Metadata;
  readonly selectorLabels: Record<string, string>;
  readonly ingressCidrs: readonly string[];
  /** Subnet CIDRs of the model's load balancer (its addresses forward requests and send health checks). */
  readonly loadBalancerCidrs?: readonly string[];
}

/** The EKS Pod Identity agent's link-local addresses (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html). */
export const POD_IDENTITY_AGENT = { ipv4: '169.254.170.23/32', ipv6: 'fd00:ec2::23/128', port: '80' } as const;
const INSTANCE_METADATA = '169.254.169.254/32';

/**
 * Default deny for the serving pods, then: ingress only on 8080 from namespaces labelled as inference clients
 * (callers, Prometheus), the model's load balancer subnets and any extra CIDRs; egress only DNS to kube-dns, HTTPS (S3 model
 * reads through the gateway endpoint) and the pod identity agent that hands out the pod's AWS credentials.
 */
export function servingNetworkPolicy(scope: Construct, id: string, input: ServingNetworkPolicyInput): NetworkPolicyV1 {
  const tcp = (port: string | number) => ({ port: String(port), protocol: 'TCP' });
  return new NetworkPolicyV1(scope, id, {
    metadata: input.metadata,
    spec: {
      podSelector: { matchLabels: input.selectorLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { [INFERENCE_CLIENT_LABEL]: 'true' } } },
            ...[...input.ingressCidrs, ...(input.loadBalancerCidrs ?? [])].map((cidr) => ({ ipBlock: { cidr } })),
          ],
          ports: [tcp(SERVING_CONTAINER.port)],
        },
      ],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [INSTANCE_METADATA] } }], ports: [tcp(443)] },
        { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.ipv4 } }, { ipBlock: { cidr: POD_IDENTITY_AGENT.ipv6 } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
      ],
    },
  });
}
