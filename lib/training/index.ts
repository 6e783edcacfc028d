export * from './evaluation-gate';
export * from './evaluation-report';
export * from './guardrails';
export * from './gpu-hours';
export * from './run-identity';
export * from './training-config';
export * from './training-layout';
export * from './training-metrics';
