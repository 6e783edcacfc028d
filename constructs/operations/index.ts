export * from './operations-alerts';
export * from './operations-alerts-props';
export * from './queue-alarms';
