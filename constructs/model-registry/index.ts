export * from './model-registry';
export * from './model-registry-base';
export * from './model-registry-props';
export * from './model-repository';
export * from './model-repository-base';
export * from './model-repository-props';
