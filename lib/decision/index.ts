export * from './types';
export * from './errors';
export { decideServing } from './decide-serving';
export {
  decideEnvironment,
  undecidableModels,
  type DecideEnvironmentOptions,
  type EnvironmentServingDecision,
  type ModelServingDecision,
  type UndecidableModel,
} from './decide-environment';
export { evaluateTargets, SERVING_TARGETS, type TargetEvaluations } from './evaluate-targets';
export { seedGuidanceTarget } from './seed-guidance';
export { PRICES, PRICES_CHECKED, PRICING_REGION, type Price, type PriceId } from './pricing';
export * as assumptions from './assumptions';
export { SERVING_IMAGE_ARCHITECTURE } from './serving-architecture';
export { startupAllowanceSeconds, STARTUP_BASE_SECONDS, STARTUP_MIB_PER_SECOND } from './startup-allowance';
