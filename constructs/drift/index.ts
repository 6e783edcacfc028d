export * from './drift-detection';
export * from './drift-detection-props';
