import type { EnvironmentConfig } from '../config/schema';
import { decideServing } from './decide-serving';
import type { Architecture, ServingDecision } from './types';

export interface ModelServingDecision {
  readonly modelName: string;
  readonly decision: ServingDecision;
}

export interface EnvironmentServingDecision {
  readonly models: readonly ModelServingDecision[];
  /** The model whose needs create the environment's EKS cluster (GPU, or forced to EKS); absent with a shared cluster or none. */
  readonly eksClusterAnchor?: string;
}

/**
 * Decides every model of an environment. Models that can only run on EKS (GPU) or are forced there make
 * the environment create a cluster: the first of them carries its fixed cost (control plane; each EKS model pays its own NLB);
 * every other model is priced at its marginal cost on that cluster.
 */
export function decideEnvironment(config: EnvironmentConfig, options: { readonly architecture?: Architecture } = {}): EnvironmentServingDecision {
  const anchor = config.sharedEksClusterName ? undefined : config.models.find((m) => m.traffic.gpu || m.forceTarget === 'eks');
  const models = config.models.map((model) => ({
    modelName: model.name,
    decision: decideServing(model.traffic, {
      highAvailability: config.highAvailability,
      sharedEksClusterName: config.sharedEksClusterName,
      eksClusterInEnvironment: anchor !== undefined && anchor !== model,
      forceTarget: model.forceTarget,
      architecture: options.architecture,
    }),
  }));
  return anchor ? { models, eksClusterAnchor: anchor.name } : { models };
}
