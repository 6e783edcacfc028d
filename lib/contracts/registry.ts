import { customerEventsContract } from './datasets/customer-events';
import { InvalidContractError, UnknownDatasetError } from './errors';
import type { DatasetContract } from './types';

const DATASET_NAME = /^[a-z][a-z0-9-]{0,62}$/;
// Column names that Parquet, Glue and Athena all accept unquoted.
const FIELD_NAME = /^[a-z][a-z0-9_]{0,127}$/;

/** Throws InvalidContractError on the first inconsistency, so a bad declaration fails at load, not per record. */
export function assertValidContract(contract: DatasetContract): void {
  const fail = (problem: string): never => {
    throw new InvalidContractError(contract.dataset, problem);
  };
  if (!DATASET_NAME.test(contract.dataset)) fail(`dataset name must match ${DATASET_NAME}`);
  if (contract.fields.length === 0) fail('declares no fields');
  const names = new Set<string>();
  for (const field of contract.fields) {
    if (!FIELD_NAME.test(field.name)) fail(`field "${field.name}" must match ${FIELD_NAME}`);
    if (names.has(field.name)) fail(`field "${field.name}" is declared twice`);
    names.add(field.name);
    const numeric = field.type === 'integer' || field.type === 'number';
    if (!numeric && (field.min !== undefined || field.max !== undefined)) fail(`field "${field.name}": min/max only apply to integer and number fields`);
    if (field.type !== 'string' && (field.enum !== undefined || field.pattern !== undefined))
      fail(`field "${field.name}": enum/pattern only apply to string fields`);
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) fail(`field "${field.name}": min ${field.min} is above max ${field.max}`);
    if (field.enum?.length === 0) fail(`field "${field.name}": enum is empty`);
  }
}

/** Contracts by dataset name. */
export type ContractRegistry = ReadonlyMap<string, DatasetContract>;

export function createContractRegistry(contracts: readonly DatasetContract[]): ContractRegistry {
  const registry = new Map<string, DatasetContract>();
  for (const contract of contracts) {
    assertValidContract(contract);
    if (registry.has(contract.dataset)) throw new InvalidContractError(contract.dataset, 'declared twice in the registry');
    registry.set(contract.dataset, contract);
  }
  return registry;
}

/** Every dataset the platform ingests. Add a contract here to accept a new dataset in bronze. */
export const contractRegistry: ContractRegistry = createContractRegistry([customerEventsContract]);

export function getContract(dataset: string, registry: ContractRegistry = contractRegistry): DatasetContract {
  const contract = registry.get(dataset);
  if (!contract) throw new UnknownDatasetError(dataset, [...registry.keys()]);
  return contract;
}
