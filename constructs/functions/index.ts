export * from './functions-key';
export * from './object-created-trigger';
export * from './object-created-trigger-props';
export * from './platform-function';
export * from './platform-function-props';
export * from './object-grants';
