export * from './rollout-targets';
export * from './kubernetes-pin';
