export * from './schema';
export * from './errors';
export * from './load-environment';
export { formatIssues, formatPath } from './format-issues';
export * from './monitoring';
export * from './grafana';
