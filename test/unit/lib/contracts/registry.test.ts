import {
  assertValidContract,
  contractRegistry,
  createContractRegistry,
  customerEventsContract,
  getContract,
  InvalidContractError,
  matchHeader,
  UnknownDatasetError,
  type DatasetContract,
  type FieldContract,
} from '../../../../lib/contracts';

function contractWith(...fields: FieldContract[]): DatasetContract {
  return { dataset: 'demo', version: 1, description: 'test', fields };
}

describe('contract registry', () => {
  it('holds the customer-events contract by dataset name', () => {
    expect(getContract('customer-events')).toBe(customerEventsContract);
    expect([...contractRegistry.keys()]).toContain('customer-events');
  });

  it('names the known datasets when a dataset has no contract', () => {
    expect(() => getContract('clicks')).toThrow(UnknownDatasetError);
    expect(() => getContract('clicks')).toThrow('No data contract for dataset "clicks"; known datasets: customer-events');
  });

  it('refuses the same dataset twice', () => {
    expect(() => createContractRegistry([customerEventsContract, customerEventsContract])).toThrow(/declared twice in the registry/);
  });
});

describe('assertValidContract', () => {
  it.each<[string, DatasetContract, RegExp]>([
    ['a bad dataset name', { ...contractWith({ name: 'a', type: 'string', required: true }), dataset: 'Bad_Name' }, /dataset name must match/],
    ['no fields', contractWith(), /declares no fields/],
    ['a bad field name', contractWith({ name: 'Amount USD', type: 'number', required: true }), /field "Amount USD" must match/],
    ['a duplicate field', contractWith({ name: 'a', type: 'string', required: true }, { name: 'a', type: 'string', required: true }), /declared twice/],
    ['a range on a string', contractWith({ name: 'a', type: 'string', required: true, min: 1 }), /min\/max only apply/],
    ['an enum on a number', contractWith({ name: 'a', type: 'number', required: true, enum: ['1'] }), /enum\/pattern only apply/],
    ['min above max', contractWith({ name: 'a', type: 'integer', required: true, min: 5, max: 1 }), /min 5 is above max 1/],
    ['an empty enum', contractWith({ name: 'a', type: 'string', required: true, enum: [] }), /enum is empty/],
  ])('rejects %s', (_, contract, message) => {
    expect(() => assertValidContract(contract)).toThrow(InvalidContractError);
    expect(() => assertValidContract(contract)).toThrow(message);
  });
});

describe('matchHeader', () => {
  const contract = contractWith({ name: 'a', type: 'string', required: true }, { name: 'b', type: 'string', required: false });

  it('maps each field to its column, in any order', () => {
    expect(matchHeader(contract, ['b', 'a'])).toEqual({ ok: true, columnOfField: [1, 0] });
  });

  it('lists every problem of a header', () => {
    expect(matchHeader(contract, ['a', 'a', 'c'])).toEqual({
      ok: false,
      problems: ['column "a" appears more than once', 'column "c" is not declared in contract demo v1', 'column "b" is missing'],
    });
  });
});
