/**
 * Sizing assumptions of the decision matrix: the figures that are not prices.
 * Each says why it has its value; change one here and every decision, test and doc table follows.
 */

/** AWS bills a month as 730 hours in its calculators and price lists. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * Capacity is sized so that the expected load fills 60% of it: the rest absorbs bursts while
 * autoscaling adds instances (ALB target tracking reacts in about 3 minutes, a Fargate task or pod
 * starts in 1-2 more).
 */
export const TARGET_UTILIZATION = 0.6;

/** Memory the serving process needs beside the model: Node.js, onnxruntime-node, HTTP server, batch queue. */
export const RUNTIME_OVERHEAD_MB = 512;

/** Lambda allocates one full vCPU at 1,769 MB; below that CPU is throttled in proportion to memory. */
export const LAMBDA_FULL_VCPU_MB = 1769;
/**
 * Cold start of the serving container image on Lambda (init of Node.js, onnxruntime-node and the model).
 * Not measurable here (no AWS): 1 s is an optimistic figure for a container image with native modules;
 * large models load slower, so an SLO close to this should be measured before relying on on-demand Lambda.
 */
export const LAMBDA_COLD_START_MS = 1000;
/** Lambda hard limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_MAX_PAYLOAD_KB = 6 * 1024;
export const LAMBDA_MAX_DURATION_MS = 15 * 60 * 1000;
export const LAMBDA_MAX_MEMORY_MB = 10_240;
/** Default account concurrency is 1,000, of which 100 must stay unreserved. Raising the quota is a support request. */
export const LAMBDA_MAX_RESERVED_CONCURRENCY = 900;
/** Reserved concurrency is a cap that protects the account pool; never set it below this. */
export const LAMBDA_MIN_RESERVED_CONCURRENCY = 10;

/**
 * The ADOT collector sidecar in every Fargate task (remote-writes Prometheus metrics to AMP):
 * the CPU/memory AWS's ECS examples give it.
 */
export const FARGATE_SIDECAR_VCPU = 0.25;
export const FARGATE_SIDECAR_MIB = 512;
/** Fargate's largest task: 16 vCPU, 120 GB. */
export const FARGATE_MAX_TASK_MIB = 120 * 1024;

/**
 * What a node keeps for kubelet, the OS and DaemonSets (VPC CNI, kube-proxy, metrics agent):
 * EKS's kube-reserved for a 4-vCPU, 58-pod node is about 0.08 vCPU and 0.9 GiB, plus DaemonSets and eviction threshold.
 */
export const EKS_NODE_RESERVED_VCPU = 0.25;
export const EKS_NODE_RESERVED_MIB = 1536;

/**
 * Minimum team size per target, from the seed guidance (Lambda 1 person, ECS 2-3, Kubernetes 5+).
 * EKS's bar is lifted when the environment names a shared cluster that another team operates.
 */
export const MIN_TEAM_SIZE = { lambda: 1, fargate: 2, eks: 5 } as const;

/** Operating burden, lowest first: breaks ties between targets whose costs are close. */
export const OPERATING_BURDEN_ORDER = ['lambda', 'fargate', 'eks'] as const;

/**
 * Costs within 5% of the cheapest count as a tie: the model's own error (utilization, cold start,
 * LCU estimates) is larger than that, so the easier-to-operate target wins.
 */
export const COST_TIE_TOLERANCE = 0.05;

/**
 * Load balancer processed bytes (ALB and NLB): request plus a response assumed no larger than the request (1 GB = 10^6 KB).
 * Clients are assumed to keep connections alive, so processed bytes, not new connections, set the LCUs.
 */
export const ALB_RESPONSE_TO_REQUEST_RATIO = 1;
export const KB_PER_GB = 1_000_000;

/** Seed guidance bands (requests per month) and what counts as a sharp peak (peak RPS / average RPS). */
export const SEED_LAMBDA_MAX_MONTHLY_REQUESTS = 1_000_000;
export const SEED_ECS_MAX_MONTHLY_REQUESTS = 100_000_000;
export const SEED_SHARP_PEAK_RATIO = 10;

/** Flip points are searched for between these monthly volumes, on a log grid refined by bisection. */
export const FLIP_SEARCH_MIN_MONTHLY_REQUESTS = 1_000;
export const FLIP_SEARCH_MAX_MONTHLY_REQUESTS = 100_000_000_000;
export const FLIP_SEARCH_STEPS_PER_DECADE = 8;
