export * from './model-repository';
export * from './model-repository-props';
