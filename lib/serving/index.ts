export * from './serving-container';
