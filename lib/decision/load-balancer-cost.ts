import { ALB_RESPONSE_TO_REQUEST_RATIO, HOURS_PER_MONTH, KB_PER_GB } from './assumptions';
import { costLine } from './cost-lines';
import type { CostLine, TrafficProfile } from './types';

/**
 * ALB lines for a month: the hourly charge (unless the model rides an ALB that exists anyway) and
 * LCU-hours. With even traffic and kept-alive connections, processed bytes set the LCUs: 1 LCU = 1 GB
 * per hour, so LCU-hours per month equal GB processed per month.
 */
export function loadBalancerLines(profile: TrafficProfile, options: { readonly ownLoadBalancer: boolean }): CostLine[] {
  const processedGb = (profile.monthlyRequests * profile.payloadKb * (1 + ALB_RESPONSE_TO_REQUEST_RATIO)) / KB_PER_GB;
  const lines: CostLine[] = [];
  if (options.ownLoadBalancer) lines.push(costLine('ALB hours', HOURS_PER_MONTH, 'h', 'albHour'));
  lines.push(costLine('ALB LCU-hours (GB processed)', processedGb, 'LCU-h', 'albLcuHour'));
  return lines;
}
