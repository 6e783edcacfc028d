export * from './types';
export * from './errors';
export { compileValidator, compileObjectValidator, type RecordValidator } from './validate-record';
export { FastStringCheck, fastBounds, parseBooleanBytes } from './fast-checks';
export { parseDecimalBytes, parseIntegerBytes, parseTimestampBytes } from './byte-values';
export { compileBytePattern, type BytePattern } from './byte-pattern';
export { matchHeader, type HeaderMatch } from './match-header';
export { assertValidContract, contractRegistry, createContractRegistry, getContract, type ContractRegistry } from './registry';
export { customerEventsContract } from './datasets/customer-events';
