import { SERVING_IMAGE_ARCHITECTURE } from './serving-architecture';
import { EKS_NODE_RESERVED_MIB, EKS_NODE_RESERVED_VCPU, HOURS_PER_MONTH, RUNTIME_OVERHEAD_MB, TARGET_UTILIZATION } from './assumptions';
import { NODE_TYPES, type NodeType } from './capacity-catalog';
import { costLine, monthlyCost } from './cost-lines';
import { loadBalancerLines } from './load-balancer-cost';
import { averageRps, inferenceLatencyMs, instanceRps, instancesFor, averageInstancesFor } from './traffic';
import type { CostLine, DecisionContext, EksClusterMode, EksSizing, TargetEvaluation, TargetOption, TrafficProfile } from './types';

export function eksClusterMode(context: DecisionContext): EksClusterMode {
  if (context.sharedEksClusterName) return 'shared-cluster';
  return context.eksClusterInEnvironment ? 'environment-cluster' : 'new-cluster';
}

interface Candidate {
  readonly node: NodeType;
  readonly podVcpu: number;
  readonly gpuPerPod: number;
}

function allocatable(node: NodeType): { vcpu: number; memoryMiB: number } {
  return { vcpu: node.vcpu - EKS_NODE_RESERVED_VCPU, memoryMiB: node.memoryMiB - EKS_NODE_RESERVED_MIB };
}

/** Pod CPU sizes tried on a CPU node: small pods pack finely, a node-sized pod wastes least on per-pod memory. */
function candidates(profile: TrafficProfile, context: DecisionContext): Candidate[] {
  if (profile.gpu) {
    // One GPU per pod; the pod gets the node's allocatable CPU for pre/post-processing.
    return NODE_TYPES.filter((node) => node.gpus > 0).map((node) => ({ node, podVcpu: Math.floor(allocatable(node).vcpu * 2) / 2, gpuPerPod: 1 }));
  }
  const architecture = context.architecture ?? SERVING_IMAGE_ARCHITECTURE;
  return NODE_TYPES.filter((node) => node.gpus === 0 && node.architecture === architecture).flatMap((node) => {
    const wholeNode = Math.floor(allocatable(node).vcpu * 2) / 2;
    return [...new Set([0.5, 1, 2, wholeNode])].map((podVcpu) => ({ node, podVcpu, gpuPerPod: 0 }));
  });
}

function optionFor(profile: TrafficProfile, context: DecisionContext, candidate: Candidate): TargetOption<EksSizing> | undefined {
  const { node, podVcpu, gpuPerPod } = candidate;
  const podMemoryMiB = profile.memoryMb + RUNTIME_OVERHEAD_MB;
  const room = allocatable(node);
  const podsPerNode = Math.min(
    Math.floor(room.vcpu / podVcpu),
    Math.floor(room.memoryMiB / podMemoryMiB),
    gpuPerPod > 0 ? Math.floor(node.gpus / gpuPerPod) : Number.POSITIVE_INFINITY,
  );
  if (podsPerNode < 1) return undefined;
  if (!profile.gpu && inferenceLatencyMs(profile, podVcpu) > profile.p99LatencyMs) return undefined;

  const mode = eksClusterMode(context);
  const minReplicas = context.highAvailability ? 2 : 1;
  const perPodRps = instanceRps(profile, gpuPerPod > 0 ? gpuPerPod : podVcpu);
  const pricedReplicas = averageInstancesFor(averageRps(profile), perPodRps, minReplicas);
  const maxReplicas = instancesFor(profile.peakRps, perPodRps, minReplicas);
  const nodesFor = (replicas: number): number => Math.ceil(replicas / podsPerNode);
  // Every model gets its own node group (EksServing), spread over two zones under HA: one node per replica at minimum.
  const minNodes = Math.max(minReplicas, nodesFor(minReplicas));
  const maxNodes = Math.max(minNodes, nodesFor(maxReplicas));
  const pricedNodes = averageInstancesFor(pricedReplicas, podsPerNode, minNodes);

  const lines: CostLine[] = [];
  if (mode === 'new-cluster') lines.push(costLine('EKS control plane', HOURS_PER_MONTH, 'cluster-h', 'eksClusterHour'));
  lines.push(costLine(`${node.instanceType} nodes (${pricedNodes} x ${HOURS_PER_MONTH} h)`, pricedNodes * HOURS_PER_MONTH, 'h', node.priceId));
  // Every EKS model gets its own internal Network Load Balancer (its Service, provisioned by EKS Auto Mode), whatever the cluster.
  lines.push(...loadBalancerLines(profile, { kind: 'nlb', ownLoadBalancer: true }));

  const cpuMillicores = Math.round(podVcpu * 1000);
  const sizing: EksSizing = {
    target: 'eks',
    architecture: node.architecture,
    clusterMode: mode,
    nodeGroup: node.gpus > 0 ? 'gpu' : 'general',
    nodeInstanceType: node.instanceType,
    podsPerNode,
    // Requests equal limits: Guaranteed QoS, so a neighbour cannot steal the CPU the latency SLO counts on.
    pod: { cpuRequestMillicores: cpuMillicores, cpuLimitMillicores: cpuMillicores, memoryRequestMiB: podMemoryMiB, memoryLimitMiB: podMemoryMiB },
    gpuPerPod,
    minReplicas,
    maxReplicas,
    pricedReplicas,
    minNodes,
    maxNodes,
    maxGpus: maxReplicas * gpuPerPod,
    targetCpuUtilizationPercent: TARGET_UTILIZATION * 100,
  };
  const notes = [
    `each pod serves ~${perPodRps.toFixed(1)} RPS at ${TARGET_UTILIZATION * 100}% utilization on ${gpuPerPod > 0 ? `${gpuPerPod} GPU` : `${podVcpu} vCPU`}; ${podsPerNode} pod(s) per ${node.instanceType}`,
  ];
  if (mode !== 'new-cluster')
    notes.push(
      `${mode === 'shared-cluster' ? `shared cluster '${context.sharedEksClusterName}'` : 'the environment cluster'}: no control-plane charge for this model (its own NLB is priced)`,
    );
  return { target: 'eks', sizing, cost: monthlyCost(lines), notes };
}

export function evaluateEks(profile: TrafficProfile, context: DecisionContext): TargetEvaluation<EksSizing> {
  if (profile.computeMsPerInference > profile.p99LatencyMs) {
    const unit = profile.gpu ? 'GPU' : 'vCPU';
    return {
      feasible: false,
      target: 'eks',
      violations: [`one inference takes ${profile.computeMsPerInference} ms on one ${unit}, above the p99 SLO of ${profile.p99LatencyMs} ms`],
    };
  }
  let best: TargetOption<EksSizing> | undefined;
  for (const candidate of candidates(profile, context)) {
    const option = optionFor(profile, context, candidate);
    if (option && (!best || option.cost.totalUsd < best.cost.totalUsd)) best = option;
  }
  if (!best) {
    const kinds = profile.gpu ? 'GPU' : `${context.architecture ?? SERVING_IMAGE_ARCHITECTURE} CPU`;
    return {
      feasible: false,
      target: 'eks',
      violations: [`no ${kinds} node type in the pricing table fits a pod of ${profile.memoryMb + RUNTIME_OVERHEAD_MB} MiB within the p99 SLO`],
    };
  }
  return { feasible: true, option: best };
}
