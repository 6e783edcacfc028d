import type { ServingTarget, TrafficProfile } from '../config/schema';
import type { PriceId } from './pricing';

export type { ServingTarget, TrafficProfile };

export type Architecture = 'arm64' | 'x86_64';

/** Where an EKS-served model's cluster comes from; it decides which fixed costs the model carries. */
export type EksClusterMode =
  /** The model is the reason the environment creates a cluster: it carries the control plane (every EKS model pays its own NLB). */
  | 'new-cluster'
  /** Another model of the environment already needs a cluster (GPU or forced): this model shares its control plane. */
  | 'environment-cluster'
  /** The environment names an existing cluster another team operates (`sharedEksClusterName`). */
  | 'shared-cluster';

export interface DecisionContext {
  /** At least two instances across availability zones. */
  readonly highAvailability: boolean;
  /** An existing cluster run by another team: no control-plane cost and no team-size bar for EKS. */
  readonly sharedEksClusterName?: string;
  /** Another model of this environment already needs an EKS cluster; see `decideEnvironment`. @default false */
  readonly eksClusterInEnvironment?: boolean;
  /** Serve on this target even if it is not the cheapest; hard limits still apply. */
  readonly forceTarget?: ServingTarget;
  /** CPU architecture of Lambda, Fargate and CPU nodes (GPU nodes are always x86_64). @default SERVING_IMAGE_ARCHITECTURE ('x86_64', what the stacks deploy) */
  readonly architecture?: Architecture;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly priceId: PriceId;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
}

export interface MonthlyCost {
  readonly totalUsd: number;
  readonly lines: readonly CostLine[];
}

export interface LambdaSizing {
  readonly target: 'lambda';
  readonly architecture: Architecture;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Concurrent executions expected at peak (Poisson load plus three standard deviations). */
  readonly peakConcurrency: number;
  readonly reservedConcurrency: number;
  /** 0 when the p99 SLO can absorb a cold start. */
  readonly provisionedConcurrency: number;
  readonly billedDurationMs: number;
}

export interface FargateSizing {
  readonly target: 'fargate';
  readonly architecture: Architecture;
  /** Task size: a valid Fargate CPU/memory combination. */
  readonly taskCpuUnits: number;
  readonly taskMemoryMiB: number;
  /** Serving container's share of the task; the rest goes to the ADOT collector sidecar. */
  readonly appCpuUnits: number;
  readonly appMemoryMiB: number;
  readonly sidecarCpuUnits: number;
  readonly sidecarMemoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Time-averaged tasks the monthly cost assumes: average rate over one task's rate, never fewer than `minTasks`. */
  readonly pricedTasks: number;
  /** Target value for the ALB `RequestCountPerTarget` metric (a per-minute count). */
  readonly targetRequestsPerTaskPerMinute: number;
  readonly targetCpuUtilizationPercent: number;
}

export interface PodResources {
  readonly cpuRequestMillicores: number;
  readonly cpuLimitMillicores: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

export interface EksSizing {
  readonly target: 'eks';
  readonly architecture: Architecture;
  readonly clusterMode: EksClusterMode;
  /** `gpu`: a GPU node group; `general`: CPU nodes, shared with other pods unless `clusterMode` is `new-cluster`. */
  readonly nodeGroup: 'general' | 'gpu';
  readonly nodeInstanceType: string;
  readonly podsPerNode: number;
  readonly pod: PodResources;
  readonly gpuPerPod: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Time-averaged replicas the monthly cost assumes: average rate over one pod's rate, never fewer than `minReplicas`. */
  readonly pricedReplicas: number;
  /** Nodes this model needs (for a shared node group: the nodes it adds). */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** GPUs at `maxReplicas`. */
  readonly maxGpus: number;
  readonly targetCpuUtilizationPercent: number;
}

export type TargetSizing = LambdaSizing | FargateSizing | EksSizing;

export interface TargetOption<S extends TargetSizing = TargetSizing> {
  readonly target: S['target'];
  readonly sizing: S;
  readonly cost: MonthlyCost;
  /** Facts about this option a reader should know (e.g. why provisioned concurrency is priced). */
  readonly notes: readonly string[];
}

/** The outcome of checking one target's hard limits: a sized, priced option, or the limits it breaks. */
export type TargetEvaluation<S extends TargetSizing = TargetSizing> =
  | { readonly feasible: true; readonly option: TargetOption<S> }
  | { readonly feasible: false; readonly target: S['target']; readonly violations: readonly string[] };

export interface Rejection {
  readonly target: ServingTarget;
  /** `hard-limit` cannot be forced; `team` can (forceTarget). */
  readonly kind: 'hard-limit' | 'team';
  readonly reason: string;
}

export interface FlipPoint {
  /** The smallest monthly volume (peak RPS scaled with it) at which the choice is `to`. */
  readonly monthlyRequests: number;
  readonly from: ServingTarget | 'none';
  readonly to: ServingTarget | 'none';
}

export interface SeedGuidance {
  /** Whether the guidance speaks to this profile (it does not cover GPU models). */
  readonly applies: boolean;
  readonly target: ServingTarget;
  readonly agrees: boolean;
  readonly explanation: string;
}

export interface ServingDecision {
  /** The target to build: `recommendedTarget`, or `forceTarget` when given. */
  readonly target: ServingTarget;
  readonly recommendedTarget: ServingTarget;
  readonly forced: boolean;
  /** Monthly USD (rounded to cents) of every target that meets the hard limits; null where it does not. */
  readonly costs: Readonly<Record<ServingTarget, number | null>>;
  /** Sizing and cost breakdown of every target that meets the hard limits. */
  readonly options: Readonly<Partial<Record<ServingTarget, TargetOption>>>;
  readonly reasons: readonly string[];
  readonly rejected: readonly Rejection[];
  readonly flipPoints: readonly FlipPoint[];
  readonly seedGuidance: SeedGuidance;
}
