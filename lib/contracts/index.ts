export * from './types';
export * from './errors';
export { compileValidator, compileObjectValidator, type RecordValidator } from './validate-record';
export { matchHeader, type HeaderMatch } from './match-header';
export { assertValidContract, contractRegistry, createContractRegistry, getContract, type ContractRegistry } from './registry';
export { customerEventsContract } from './datasets/customer-events';
