export * from './baseline';
export * from './build-baseline';
export * from './drift-config';
export * from './feature-drift-accumulator';
export * from './metric-names';
export * from './psi';
