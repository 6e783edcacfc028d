import type { ServingDecision } from '../../lib/decision';

/** The template metadata key under which the main resource of a served model records its serving decision. */
export const SERVING_DECISION_METADATA_KEY = 'mlops:ServingDecision';

/** What an auditor needs to see why a model runs where it runs: plain JSON, no tokens. */
export function servingDecisionMetadata(modelName: string, decision: ServingDecision): Record<string, unknown> {
  return {
    model: modelName,
    target: decision.target,
    recommendedTarget: decision.recommendedTarget,
    forced: decision.forced,
    monthlyCostUsd: decision.costs,
    reasons: decision.reasons,
    rejected: decision.rejected,
    flipPoints: decision.flipPoints,
    seedGuidance: decision.seedGuidance,
    sizing: decision.options[decision.target]?.sizing,
  };
}
