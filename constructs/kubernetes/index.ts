export * from './workload-names';
export * from './serving-workload';
export * from './serving-workload-props';
export * from './serving-network-policy';
export * from './nvidia-device-plugin';
export * from './serving-kubernetes-stack';
export * from './cluster-autoscaler';
export * from './model-rollout-rbac';
