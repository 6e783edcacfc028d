export * from './feature-group';
export * from './feature-values';
export * from './to-feature-record';
