export * from './rollout-targets';
export * from './kubernetes-pin';
export * from './rollout-signals';
