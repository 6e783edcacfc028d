export * from './drift-detected';
export * from './s3-object-created';
