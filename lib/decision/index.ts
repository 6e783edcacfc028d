export * from './types';
export * from './errors';
export { decideServing } from './decide-serving';
export { decideEnvironment, type EnvironmentServingDecision, type ModelServingDecision } from './decide-environment';
export { evaluateTargets, SERVING_TARGETS, type TargetEvaluations } from './evaluate-targets';
export { seedGuidanceTarget } from './seed-guidance';
export { PRICES, PRICES_CHECKED, PRICING_REGION, type Price, type PriceId } from './pricing';
export * as assumptions from './assumptions';
export { SERVING_IMAGE_ARCHITECTURE } from './serving-architecture';
