import type { DecisionContext, TrafficProfile } from './types';

export interface WorkedExample {
  readonly name: string;
  readonly profile: TrafficProfile;
  readonly context: DecisionContext;
}

/** The traffic profiles of the sample environments' models in cdk.json (a test keeps them equal). */
export const SAMPLE_MODEL_PROFILES = {
  /** dev churn-classifier: sparse traffic, a team of one. */
  devChurnClassifier: {
    monthlyRequests: 200_000,
    peakRps: 5,
    p99LatencyMs: 1500,
    payloadKb: 4,
    computeMsPerInference: 8,
    memoryMb: 1024,
    gpu: false,
    teamSize: 1,
  },
  /** staging/prod churn-classifier: steady traffic, a tight SLO, a team of three. */
  churnClassifier: {
    monthlyRequests: 40_000_000,
    peakRps: 60,
    p99LatencyMs: 150,
    payloadKb: 4,
    computeMsPerInference: 8,
    memoryMb: 2048,
    gpu: false,
    teamSize: 3,
  },
  /** prod fraud-scorer: very high volume, 50 ms p99. */
  fraudScorer: {
    monthlyRequests: 4_000_000_000,
    peakRps: 4500,
    p99LatencyMs: 50,
    payloadKb: 2,
    computeMsPerInference: 3,
    memoryMb: 2048,
    gpu: false,
    teamSize: 8,
  },
  /** prod doc-embedder: a GPU model. */
  docEmbedder: {
    monthlyRequests: 50_000_000,
    peakRps: 150,
    p99LatencyMs: 300,
    payloadKb: 64,
    computeMsPerInference: 25,
    memoryMb: 8192,
    gpu: true,
    teamSize: 8,
  },
} as const satisfies Record<string, TrafficProfile>;

/** Profiles the docs table shows: the sample environments' models and a few that show the model's edges. */
export const WORKED_EXAMPLES: readonly WorkedExample[] = [
  { name: 'dev churn-classifier', profile: SAMPLE_MODEL_PROFILES.devChurnClassifier, context: { highAvailability: false } },
  { name: 'staging/prod churn-classifier', profile: SAMPLE_MODEL_PROFILES.churnClassifier, context: { highAvailability: true } },
  {
    name: 'prod fraud-scorer (prod has a cluster)',
    profile: SAMPLE_MODEL_PROFILES.fraudScorer,
    context: { highAvailability: true, eksClusterInEnvironment: true },
  },
  { name: 'fraud-scorer alone (no cluster yet)', profile: SAMPLE_MODEL_PROFILES.fraudScorer, context: { highAvailability: true } },
  { name: 'prod doc-embedder (GPU)', profile: SAMPLE_MODEL_PROFILES.docEmbedder, context: { highAvailability: true } },
  {
    name: 'sparse, tight SLO',
    profile: { monthlyRequests: 500_000, peakRps: 2, p99LatencyMs: 100, payloadKb: 8, computeMsPerInference: 20, memoryMb: 1024, gpu: false, teamSize: 2 },
    context: { highAvailability: true },
  },
  {
    name: 'heavy CPU model, mid volume',
    profile: {
      monthlyRequests: 20_000_000,
      peakRps: 30,
      p99LatencyMs: 2000,
      payloadKb: 32,
      computeMsPerInference: 120,
      memoryMb: 3072,
      gpu: false,
      teamSize: 3,
    },
    context: { highAvailability: true },
  },
  {
    name: 'large image payload',
    profile: {
      monthlyRequests: 2_000_000,
      peakRps: 5,
      p99LatencyMs: 3000,
      payloadKb: 8192,
      computeMsPerInference: 200,
      memoryMb: 2048,
      gpu: false,
      teamSize: 2,
    },
    context: { highAvailability: true },
  },
];
