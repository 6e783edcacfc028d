import { compileBytePattern, type BytePattern } from './byte-pattern';
import type { FieldContract } from './types';

// The fast path of the contract, for CSV fields still in their source bytes: a check either accepts a non-empty field
// (the full validator would accept it with the same value) or defers, and the record then goes through
// compileValidator, which decides and gives the reasons. Deferring is always safe; accepting must be exact.

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (bytes[at] >= 128) return false;
  return true;
}

function sameBytes(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/**
 * Accepts a non-empty string field's bytes only if they are ASCII and meet the contract. One class rather than a
 * closure per rule, so the call site in the hot loop stays monomorphic and is inlined.
 */
export class FastStringCheck {
  private readonly members: Uint8Array[] | undefined;
  private readonly matches: BytePattern | undefined;
  private readonly pattern: RegExp | undefined;

  constructor(field: FieldContract) {
    if (field.type !== 'string') throw new TypeError(`${field.name} is a ${field.type} field`);
    const { pattern } = field;
    if (field.enum) {
      // Members that are not ASCII or break the pattern are left out: such fields defer, which is always correct.
      // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
      this.members = field.enum.filter((m) => /^[\x00-\x7f]*$/.test(m) && (!pattern || pattern.test(m))).map((m) => Buffer.from(m, 'latin1'));
    } else if (pattern) {
      this.matches = compileBytePattern(pattern);
      this.pattern = this.matches ? undefined : pattern;
    }
  }

  accepts(bytes: Uint8Array, start: number, end: number): boolean {
    const members = this.members;
    if (members !== undefined) {
      for (let i = 0; i < members.length; i++) if (sameBytes(bytes, start, end, members[i])) return true;
      return false;
    }
    if (this.matches !== undefined) return this.matches.matches(bytes, start, end); // accepts ASCII only
    if (!isAscii(bytes, start, end)) return false;
    return this.pattern === undefined || this.pattern.test(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'));
  }
}

/** The inclusive range a fast-path value of a numeric field must fall in (within 32 bits for integers). */
export function fastBounds(field: FieldContract): { readonly min: number; readonly max: number } {
  const [low, high] = field.type === 'integer' ? [INT32_MIN, INT32_MAX] : [-Infinity, Infinity];
  return { min: Math.max(low, field.min ?? -Infinity), max: Math.min(high, field.max ?? Infinity) };
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

/** 1 for `true`, 0 for `false`, NaN (defer) for anything else. */
export function parseBooleanBytes(bytes: Uint8Array, start: number, end: number): number {
  return sameBytes(bytes, start, end, TRUE) ? 1 : sameBytes(bytes, start, end, FALSE) ? 0 : Number.NaN;
}
