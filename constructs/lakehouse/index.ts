export * from './lakehouse';
export * from './lakehouse-storage';
export * from './lakehouse-storage-props';
export * from './silver-tables';
