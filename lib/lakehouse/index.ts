export * from './layout';
export * from './dataset-tables';
