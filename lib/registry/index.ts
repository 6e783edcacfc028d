export * from './model-package-group-name';
