export * from './gpu-training-pipeline';
export * from './gpu-training-pipeline-props';
export * from './training-definition';
export * from './training-budget';
