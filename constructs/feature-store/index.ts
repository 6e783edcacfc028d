export * from './feature-group';
export * from './feature-group-props';
export * from './feature-store';
export * from './feature-store-base';
export * from './feature-store-props';
