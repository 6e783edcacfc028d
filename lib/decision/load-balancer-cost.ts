import { ALB_RESPONSE_TO_REQUEST_RATIO, HOURS_PER_MONTH, KB_PER_GB } from './assumptions';
import { costLine } from './cost-lines';
import type { CostLine, TrafficProfile } from './types';

/** What fronts a model: Fargate's Application Load Balancer, or the Network Load Balancer of an EKS model's Service. */
export type LoadBalancerKind = 'alb' | 'nlb';

const LINES = {
  alb: { hours: 'ALB hours', capacity: 'ALB LCU-hours (GB processed)', unit: 'LCU-h', hourPrice: 'albHour', capacityPrice: 'albLcuHour' },
  nlb: { hours: 'NLB hours', capacity: 'NLB NLCU-hours (GB processed)', unit: 'NLCU-h', hourPrice: 'nlbHour', capacityPrice: 'nlbLcuHour' },
} as const;

/**
 * Load balancer lines for a month: the hourly charge (unless the model rides a load balancer that exists anyway) and
 * capacity-unit hours. With even traffic and kept-alive connections, processed bytes set the capacity units of both
 * kinds: 1 LCU (ALB) or 1 NLCU (NLB, TCP) = 1 GB per hour, so capacity-unit hours per month equal GB processed per month.
 */
export function loadBalancerLines(profile: TrafficProfile, options: { readonly kind: LoadBalancerKind; readonly ownLoadBalancer: boolean }): CostLine[] {
  const names = LINES[options.kind];
  const processedGb = (profile.monthlyRequests * profile.payloadKb * (1 + ALB_RESPONSE_TO_REQUEST_RATIO)) / KB_PER_GB;
  const lines: CostLine[] = [];
  if (options.ownLoadBalancer) lines.push(costLine(names.hours, HOURS_PER_MONTH, 'h', names.hourPrice));
  lines.push(costLine(names.capacity, processedGb, names.unit, names.capacityPrice));
  return lines;
}
