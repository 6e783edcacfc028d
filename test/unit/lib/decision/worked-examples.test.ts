import { decideServing } from '../../../../lib/decision';
import { SAMPLE_MODEL_PROFILES } from '../../../../lib/decision/worked-examples';

// Expected costs are worked out by hand from lib/decision/pricing.ts and assumptions.ts (730 h/month,
// 2,628,000 s/month, 512 MB runtime overhead, 60% target utilization, 0.25 vCPU / 512 MiB ADOT sidecar on
// Fargate, 0.25 vCPU / 1,536 MiB reserved per EKS node). Arithmetic in the comments. They were worked out on the
// arm64 price rows, so each decision here is priced on arm64 (the default, x86_64, is what the README tables show).
const ARM = { architecture: 'arm64' } as const;

const { devChurnClassifier: devChurn, churnClassifier: churn, fraudScorer: fraud, docEmbedder: embedder } = SAMPLE_MODEL_PROFILES;

describe('worked examples (costs computed by hand)', () => {
  test('dev churn-classifier: on-demand Lambda, the only target a team of one may run', () => {
    const decision = decideServing(devChurn, { ...ARM, highAvailability: false });
    // memory = max(1769 full-vCPU MB, 1024 + 512) = 1769 MB; p99 1500 >= 1000 cold start + 8 ms: no provisioned concurrency
    // requests: 0.2 M x $0.20 = $0.04
    // duration: 200,000 x 0.008 s x 1769/1024 GB = 2,764.0625 GB-s x $0.0000133334 = $0.036854
    expect(decision.costs.lambda).toBeCloseTo(0.04 + 2764.0625 * 0.0000133334, 2);
    expect(decision.target).toBe('lambda');
    expect(decision.options.lambda?.sizing).toMatchObject({ memoryMb: 1769, provisionedConcurrency: 0, billedDurationMs: 8 });
    expect(decision.rejected.map((r) => `${r.target}:${r.kind}`)).toEqual(['fargate:team', 'eks:team']);
  });

  test('staging/prod churn-classifier: Fargate beats Lambda once Lambda needs provisioned concurrency', () => {
    const decision = decideServing(churn, { ...ARM, highAvailability: true });
    // Lambda: 2048 + 512 = 2560 MB = 2.5 GB. p99 150 < 1000 + 8: provisioned concurrency.
    // peak load 60 RPS x 0.008 s = 0.48; 0.48 + 3 x sqrt(0.48) = 2.56 -> 3 environments
    // PC: 3 x 2.5 GB x 2,628,000 s = 19,710,000 GB-s x $0.0000033334 = $65.701314
    // duration on PC: 40M x 0.008 s x 2.5 GB = 800,000 GB-s x $0.0000077778 = $6.22224
    // requests: 40 M x $0.20 = $8
    expect(decision.costs.lambda).toBeCloseTo(65.701314 + 6.22224 + 8, 2);
    // Fargate: 0.5 vCPU task (0.25 for the model), 2560 + 512 sidecar = 3072 MiB -> 3 GB.
    // one task: 0.25 vCPU x 1000/8 x 0.6 = 18.75 RPS; average 40M / 2,628,000 = 15.2 RPS -> 0.82 tasks -> HA minimum 2
    // vCPU 2 x 0.5 x 730 = 730 x $0.03238 = $23.6374; memory 2 x 3 x 730 = 4,380 GB-h x $0.00356 = $15.5928
    // ALB 730 h x $0.0225 = $16.425; LCU 40M x 4 KB x 2 / 10^6 = 320 GB x $0.008 = $2.56
    expect(decision.costs.fargate).toBeCloseTo(23.6374 + 15.5928 + 16.425 + 2.56, 2);
    expect(decision.target).toBe('fargate');
    expect(decision.options.fargate?.sizing).toMatchObject({ taskCpuUnits: 512, taskMemoryMiB: 3072, appCpuUnits: 256, minTasks: 2, maxTasks: 4 });
  });

  test('prod fraud-scorer on the environment cluster: its own c7g node group and NLB, no control plane', () => {
    const decision = decideServing(fraud, { ...ARM, highAvailability: true, eksClusterInEnvironment: true });
    // c7g.xlarge allocatable 3.75 vCPU / 8192 - 1536 = 6,656 MiB; pod 3.5 vCPU / 2048 + 512 = 2,560 MiB -> 1 pod per node
    // one pod: 3.5 x 1000/3 x 0.6 = 700 RPS; average 4B / 2,628,000 = 1,522.07 RPS -> 2.18 pods; peak 4500 / 700 -> 7
    // nodes (the model's own group, one pod each): 2.18 x 730 h = 1,591.4 h x $0.145 = $230.753
    // its own NLB: 730 h x $0.0225 = $16.425; NLCU: 4B x 2 KB x 2 / 10^6 = 16,000 GB x $0.006 = $96
    expect(decision.costs.eks).toBeCloseTo(230.753 + 16.425 + 96, 2);
    // Fargate: 4 vCPU / 8 GB task, 3.75 vCPU for the model: 3.75 x 1000/3 x 0.6 = 750 RPS -> 1,522.07 / 750 = 2.03 tasks
    // vCPU 2.03 x 4 x 730 = 5,927.6 x $0.03238 = $191.9357; memory 2.03 x 8 x 730 = 11,855.2 x $0.00356 = $42.2045;
    // ALB $16.425; LCU $128
    expect(decision.costs.fargate).toBeCloseTo(191.9357 + 42.2045 + 16.425 + 128, 2);
    expect(decision.target).toBe('eks');
    expect(decision.options.eks?.sizing).toMatchObject({
      nodeInstanceType: 'c7g.xlarge',
      clusterMode: 'environment-cluster',
      podsPerNode: 1,
      minReplicas: 2,
      maxReplicas: 7,
      minNodes: 2,
      maxNodes: 7,
      gpuPerPod: 0,
    });
  });

  test('fraud-scorer with no cluster to share: the control plane of its own makes Fargate cheaper', () => {
    const decision = decideServing(fraud, { ...ARM, highAvailability: true });
    // EKS: $73 control plane + the same nodes $230.753 + NLB $16.425 + NLCU $96
    expect(decision.costs.eks).toBeCloseTo(73 + 230.753 + 16.425 + 96, 2);
    expect(decision.target).toBe('fargate');
    expect(decision.seedGuidance).toMatchObject({ target: 'eks', agrees: false });
  });

  test('a CPU model is priced on whole nodes of its own group: two for HA even when one would hold both pods', () => {
    const decision = decideServing(
      { ...fraud, monthlyRequests: 900_000_000, peakRps: 1200 },
      { ...ARM, highAvailability: true, eksClusterInEnvironment: true },
    );
    // 0.5 vCPU pods, 2 per c7g.xlarge by memory (6,656 / 2,560); 3.43 pods priced, but two zones need two nodes:
    // 2 x 730 h x $0.145 = $211.70 + NLB $16.425 + NLCU 900M x 2 KB x 2 / 10^6 = 3,600 GB x $0.006 = $21.60
    expect(decision.options.eks?.sizing).toMatchObject({ podsPerNode: 2, minReplicas: 2, minNodes: 2 });
    expect(decision.costs.eks).toBeCloseTo(211.7 + 16.425 + 21.6, 2);
    expect(decision.target).toBe('fargate');
  });

  test('doc-embedder (GPU): only EKS, on the cheaper g6.xlarge', () => {
    const decision = decideServing(embedder, { ...ARM, highAvailability: true });
    // one GPU: 1000/25 x 0.6 = 24 RPS; average 50M / 2,628,000 = 19.0 RPS -> 0.8 pods -> HA minimum 2 nodes
    // $73 control plane + 2 x 730 h x $0.8048 = $1,175.008 + NLB $16.425 + NLCU 50M x 64 x 2 / 10^6 = 6,400 x $0.006 = $38.40
    expect(decision.costs).toEqual({ lambda: null, fargate: null, eks: Math.round((73 + 1175.008 + 16.425 + 38.4) * 100) / 100 });
    expect(decision.options.eks?.sizing).toMatchObject({
      nodeGroup: 'gpu',
      nodeInstanceType: 'g6.xlarge',
      gpuPerPod: 1,
      minReplicas: 2,
      maxReplicas: 7,
      maxGpus: 7,
    });
  });
});

test('without an architecture the decision is priced on x86_64, what the stacks deploy (SERVING_IMAGE_ARCHITECTURE)', () => {
  expect(decideServing(churn, { highAvailability: true })).toEqual(decideServing(churn, { highAvailability: true, architecture: 'x86_64' }));
  expect(decideServing(churn, { highAvailability: true }).options.fargate?.sizing).toMatchObject({ architecture: 'x86_64' });
});
