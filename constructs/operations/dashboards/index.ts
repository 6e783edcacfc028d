export * from './build-dashboards';
export * from './dashboard-input';
export * from './datasources';
