import { describeValue } from '../shared/describe-value';
import type { CellValue, DatasetContract, FieldContract, RecordValidation, ValidRow } from './types';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// ISO 8601 with an explicit offset: a timestamp without one is ambiguous, so it is rejected.
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Marks a value that broke its field's rule; the reason is left in `Problem.text`. */
const INVALID: unique symbol = Symbol('invalid');
interface Problem {
  text: string;
}
/** Checks one value: returns the typed value, or INVALID after writing the reason (no allocation on the valid path). */
type FieldCheck = (value: unknown, problem: Problem) => CellValue | typeof INVALID;

/** Checks a record given as values in contract field order (CSV after header mapping, JSON after picking by name). */
export type RecordValidator = (values: readonly unknown[]) => RecordValidation;

function rangeProblem(field: FieldContract, n: number): string | undefined {
  if (field.min !== undefined && n < field.min) return `below minimum ${field.min} (got ${n})`;
  if (field.max !== undefined && n > field.max) return `above maximum ${field.max} (got ${n})`;
  return undefined;
}

function fail(problem: Problem, text: string): typeof INVALID {
  problem.text = text;
  return INVALID;
}

function typedCheck(field: FieldContract): FieldCheck {
  switch (field.type) {
    case 'string': {
      const allowed = field.enum ? new Set(field.enum) : undefined;
      const { pattern } = field;
      return (value, problem) => {
        if (typeof value !== 'string') return fail(problem, `expected a string (got ${describeValue(value)})`);
        if (allowed && !allowed.has(value)) return fail(problem, `must be one of ${field.enum!.join('|')} (got ${describeValue(value)})`);
        if (pattern && !pattern.test(value)) return fail(problem, `does not match ${pattern} (got ${describeValue(value)})`);
        return value;
      };
    }
    case 'integer':
      return (value, problem) => {
        const n = typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isInteger(n)) return fail(problem, `expected an integer (got ${describeValue(value)})`);
        if (n < INT32_MIN || n > INT32_MAX) return fail(problem, `outside the 32-bit integer range (got ${n})`);
        const outOfRange = rangeProblem(field, n);
        return outOfRange ? fail(problem, outOfRange) : n;
      };
    case 'number':
      return (value, problem) => {
        const n = typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isFinite(n)) return fail(problem, `expected a number (got ${describeValue(value)})`);
        const outOfRange = rangeProblem(field, n);
        return outOfRange ? fail(problem, outOfRange) : n;
      };
    case 'boolean':
      return (value, problem) => {
        if (value === true || value === 'true') return true;
        if (value === false || value === 'false') return false;
        return fail(problem, `expected true or false (got ${describeValue(value)})`);
      };
    case 'timestamp':
      return (value, problem) => {
        const ms = typeof value === 'string' && TIMESTAMP_TEXT.test(value) ? Date.parse(value) : Number.NaN;
        if (Number.isNaN(ms)) return fail(problem, `expected an ISO 8601 timestamp with offset, e.g. 2024-05-01T12:00:00Z (got ${describeValue(value)})`);
        return ms;
      };
  }
}

function compileField(field: FieldContract): FieldCheck {
  const check = typedCheck(field);
  return (value, problem) => {
    if (value === undefined || value === null || value === '') return field.required ? fail(problem, 'required but missing') : null;
    return check(value, problem);
  };
}

/** Builds the validator of a contract once; it returns the typed row or every reason the record breaks the contract. */
export function compileValidator(contract: DatasetContract): RecordValidator {
  const checks = contract.fields.map(compileField);
  const names = contract.fields.map((f) => f.name);
  const problem: Problem = { text: '' };
  return (values) => {
    const row: ValidRow = new Array<ValidRow[number]>(checks.length);
    let reasons: string[] | undefined;
    for (let i = 0; i < checks.length; i++) {
      const value = checks[i](values[i], problem);
      if (value === INVALID) (reasons ??= []).push(`${names[i]}: ${problem.text}`);
      else row[i] = value;
    }
    return reasons ? { ok: false, reasons } : { ok: true, row };
  };
}

/** Validates one JSON record: picks the contract's fields by name and rejects fields the contract does not declare. */
export function compileObjectValidator(contract: DatasetContract): (record: Readonly<Record<string, unknown>>) => RecordValidation {
  const validate = compileValidator(contract);
  const declared = new Set(contract.fields.map((f) => f.name));
  return (record) => {
    const result = validate(contract.fields.map((f) => record[f.name]));
    const unexpected = Object.keys(record).filter((key) => !declared.has(key));
    if (unexpected.length === 0) return result;
    const reasons = unexpected.map((key) => `${key}: not declared in contract ${contract.dataset} v${contract.version}`);
    return { ok: false, reasons: result.ok ? reasons : [...result.reasons, ...reasons] };
  };
}
