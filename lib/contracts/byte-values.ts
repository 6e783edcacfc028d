// Byte-level parsers of the contract's fast path. Each handles only the plain, common spelling of a value and returns
// NaN for anything else, which the caller then hands to the full (string) validator: so a value parsed here is
// always the value the full validator would give, and every reason still comes from the full validator.

const ZERO = 48;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const MS_PER_MINUTE = 60_000;

/** `[+-]?\d{1,9}`: at most 9 digits, so the value is exact and within 32 bits. */
export function parseIntegerBytes(bytes: Uint8Array, start: number, end: number): number {
  let at = start;
  const sign = bytes[at];
  if (sign === PLUS || sign === MINUS) at++;
  if (end - at < 1 || end - at > 9) return Number.NaN;
  let n = 0;
  for (; at < end; at++) {
    const digit = bytes[at] - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    n = n * 10 + digit;
  }
  return sign === MINUS ? -n : n;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * `[+-]?\d*(\.\d*)?` with 1 to 15 digits and no exponent. Both the digits as an integer (< 2^53) and the power of ten
 * (≤ 10^22) are exact doubles, so one IEEE division is correctly rounded: the same double as `Number(text)`.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  let at = start;
  const sign = bytes[at];
  if (sign === PLUS || sign === MINUS) at++;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; at < end; at++) {
    const c = bytes[at];
    if (c === DOT && fractionDigits < 0) {
      fractionDigits = 0;
      continue;
    }
    const digit = c - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    mantissa = mantissa * 10 + digit;
    digits++;
    if (fractionDigits >= 0) fractionDigits++;
  }
  if (digits < 1 || digits > 15) return Number.NaN;
  const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
  return sign === MINUS ? -value : value;
}

/** Two ASCII digits at `at` as a number, or NaN. */
function twoDigits(bytes: Uint8Array, at: number): number {
  const tens = bytes[at] - ZERO;
  const ones = bytes[at + 1] - ZERO;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : Number.NaN;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM)` as UTC epoch milliseconds, as `Date.parse` gives it (fraction
 * truncated to milliseconds). Days 29–31 and hour 24 are left to the full validator (Date.parse rolls them over).
 */
export function parseTimestampBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 17 || bytes[start + 4] !== MINUS || bytes[start + 7] !== MINUS || bytes[start + 10] !== 84 || bytes[start + 13] !== 58) {
    return Number.NaN;
  }
  const year = twoDigits(bytes, start) * 100 + twoDigits(bytes, start + 2);
  const month = twoDigits(bytes, start + 5);
  const day = twoDigits(bytes, start + 8);
  const hour = twoDigits(bytes, start + 11);
  const minute = twoDigits(bytes, start + 14);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59)) return Number.NaN; // also false for NaN
  let at = start + 16;
  let second = 0;
  let millis = 0;
  if (at < end && bytes[at] === 58) {
    if (end - at < 3) return Number.NaN;
    second = twoDigits(bytes, at + 1);
    if (!(second <= 59)) return Number.NaN;
    at += 3;
    if (at < end && bytes[at] === DOT) {
      const first = ++at;
      for (; at < end && bytes[at] >= ZERO && bytes[at] <= ZERO + 9; at++) if (at - first < 3) millis = millis * 10 + (bytes[at] - ZERO);
      const fractionDigits = at - first;
      if (fractionDigits < 1 || fractionDigits > 9) return Number.NaN;
      if (fractionDigits < 3) millis *= fractionDigits === 1 ? 100 : 10;
    }
  }
  let offsetMinutes = 0;
  if (at < end && bytes[at] === 90) at++;
  else if (end - at === 6 && (bytes[at] === PLUS || bytes[at] === MINUS)) {
    const hours = twoDigits(bytes, at + 1);
    const minutes = twoDigits(bytes, at + 4);
    if (bytes[at + 3] !== 58 || !(hours <= 23 && minutes <= 59)) return Number.NaN;
    offsetMinutes = (bytes[at] === MINUS ? -1 : 1) * (hours * 60 + minutes);
    at += 6;
  } else return Number.NaN;
  if (at !== end || !(year >= 0)) return Number.NaN;
  const minutesSinceEpoch = (daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes;
  return minutesSinceEpoch * MS_PER_MINUTE + second * 1000 + millis;
}
