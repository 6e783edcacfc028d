import type { EnvironmentConfig, ModelConfig } from '../config/schema';
import { decideServing } from './decide-serving';
import { DecisionError, ForcedTargetInfeasibleError } from './errors';
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
export function decideEnvironment(config: EnvironmentConfig, options: DecideEnvironmentOptions = {}): EnvironmentServingDecision {
  const anchor = eksClusterAnchor(config);
  const models = config.models.map((model) => ({ modelName: model.name, decision: decideModel(config, model, anchor, options) }));
  return anchor ? { models, eksClusterAnchor: anchor.name } : { models };
}

/** A model of an environment that no target can serve as configured, with the key to change and the decision's reason. */
export interface UndecidableModel {
  readonly index: number;
  readonly key: 'traffic' | 'forceTarget';
  readonly reason: string;
}

/** Every model `decideEnvironment` would refuse, so a configuration can report them all as config problems. */
export function undecidableModels(config: EnvironmentConfig, options: DecideEnvironmentOptions = {}): UndecidableModel[] {
  const anchor = eksClusterAnchor(config);
  return config.models.flatMap((model, index) => {
    try {
      decideModel(config, model, anchor, options);
      return [];
    } catch (error) {
      if (!(error instanceof DecisionError)) throw error;
      return [{ index, key: error instanceof ForcedTargetInfeasibleError ? 'forceTarget' : 'traffic', reason: error.message }];
    }
  });
}

export interface DecideEnvironmentOptions {
  readonly architecture?: Architecture;
}

function eksClusterAnchor(config: EnvironmentConfig): ModelConfig | undefined {
  return config.sharedEksClusterName ? undefined : config.models.find((m) => m.traffic.gpu || m.forceTarget === 'eks');
}

function decideModel(config: EnvironmentConfig, model: ModelConfig, anchor: ModelConfig | undefined, options: DecideEnvironmentOptions): ServingDecision {
  return decideServing(model.traffic, {
    highAvailability: config.highAvailability,
    sharedEksClusterName: config.sharedEksClusterName,
    eksClusterInEnvironment: anchor !== undefined && anchor !== model,
    forceTarget: model.forceTarget,
    architecture: options.architecture,
  });
}
