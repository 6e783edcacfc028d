export * from './drift-detected';
