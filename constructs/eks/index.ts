export * from './eks-cluster';
export * from './eks-cluster-props';
export * from './model-nodegroup';
export * from './model-nodegroup-props';
export * from './cluster-autoscaler-identity';
export * from './pod-identity-role';
export * from './load-balancer-subnets';
