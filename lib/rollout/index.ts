export * from './rollout-targets';
