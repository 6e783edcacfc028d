import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { Construct } from 'constructs';
import type { ServingLoadBalancerProps } from './serving-workload-props';
import { SERVING_CONTAINER } from './workload-names';

/** The load balancer class EKS Auto Mode provisions a Network Load Balancer for. */
export const AUTO_MODE_NLB_CLASS = 'eks.amazonaws.com/nlb';

/** TLS policy of an internet-facing listener: TLS 1.3 and 1.2 only, as the Fargate ALB. */
export const LOAD_BALANCER_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Longer than the server's drain, so a pod finishes its in-flight requests before the target is gone. */
const DEREGISTRATION_DELAY_SECONDS = 30;

const ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer';

export interface ServingLoadBalancerInput {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;
  readonly loadBalancer: ServingLoadBalancerProps;
}

/**
 * A `LoadBalancer` Service (`model-server-lb`) that EKS Auto Mode turns into a Network Load Balancer with IP targets
 * (the pods themselves, no node ports): internal in the given subnets by default; internet-facing only with a
 * certificate, then TLS on 443 only. Health check = the server's readiness route, so a pod receives traffic only once
 * it serves its pinned version. Open to `clientCidrs` only (the load balancer's security group).
 */
export function servingLoadBalancer(scope: Construct, id: string, input: ServingLoadBalancerInput): ServiceV1 {
  const { loadBalancer } = input;
  const tls = loadBalancer.certificateArn !== undefined;
  const annotations: Record<string, string> = {
    [`${ANNOTATION}-scheme`]: loadBalancer.internetFacing ? 'internet-facing' : 'internal',
    [`${ANNOTATION}-nlb-target-type`]: 'ip',
    [`${ANNOTATION}-subnets`]: loadBalancer.subnetIds,
    [`${ANNOTATION}-healthcheck-protocol`]: 'HTTP',
    [`${ANNOTATION}-healthcheck-port`]: 'traffic-port',
    [`${ANNOTATION}-healthcheck-path`]: SERVING_CONTAINER.readinessPath,
    [`${ANNOTATION}-healthcheck-interval`]: '10',
    [`${ANNOTATION}-target-group-attributes`]: `deregistration_delay.timeout_seconds=${DEREGISTRATION_DELAY_SECONDS}`,
    [`${ANNOTATION}-attributes`]: 'load_balancing.cross_zone.enabled=true',
  };
  if (tls) {
    annotations[`${ANNOTATION}-ssl-cert`] = loadBalancer.certificateArn!;
    annotations[`${ANNOTATION}-ssl-ports`] = 'https';
    annotations[`${ANNOTATION}-ssl-negotiation-policy`] = LOAD_BALANCER_TLS_POLICY;
  }
  return new ServiceV1(scope, id, {
    metadata: { name: 'model-server-lb', namespace: input.namespace, labels: input.labels, annotations },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: AUTO_MODE_NLB_CLASS,
      allocateLoadBalancerNodePorts: false,
      loadBalancerSourceRanges: loadBalancer.clientCidrs,
      selector: input.selectorLabels,
      port: [
        tls
          ? { name: 'https', port: 443, targetPort: 'http', protocol: 'TCP' }
          : { name: 'http', port: SERVING_CONTAINER.port, targetPort: 'http', protocol: 'TCP' },
      ],
    },
    // Apply waits until Auto Mode has written the load balancer's DNS name into the status (the endpoint output).
    waitForLoadBalancer: true,
  });
}
