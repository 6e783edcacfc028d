import { describeValue } from '../shared/describe-value';
import type { FeatureType } from './feature-group';

/**
 * Turns one silver cell into the string Feature Store expects for a feature type
 * (`FeatureValue.ValueAsString` carries every type as a string).
 * Cells come from a Parquet reader: strings, numbers, bigints (INT64), booleans, Dates (timestamps) or null.
 */

export type FormatResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
/** ISO-8601 date or date-time; a date-time without a zone is read as UTC. */
/** 9999-12-31T23:59:59.999Z: the last instant ISO-8601 can write with a four-digit year. */
const MAX_EVENT_TIME_MS = 253402300799999;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const ok = (value: string): FormatResult => ({ ok: true, value });
const fail = (reason: string): FormatResult => ({ ok: false, reason });

/** A cell that holds no value: the feature is left out of the record. */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

function formatIntegral(value: unknown): FormatResult {
  let integer: bigint | undefined;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) integer = BigInt(value);
  else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) integer = BigInt(value.trim());
  if (integer === undefined) return fail(`${describeValue(value)} is not an integer`);
  if (integer < INT64_MIN || integer > INT64_MAX) return fail(`${describeValue(value)} does not fit a 64-bit integer`);
  return ok(integer.toString());
}

function formatFractional(value: unknown): FormatResult {
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'bigint') number = Number(value);
  else if (typeof value === 'string' && value.trim() !== '') number = Number(value);
  if (number === undefined || !Number.isFinite(number)) return fail(`${describeValue(value)} is not a finite number`);
  return ok(String(number));
}

function formatString(value: unknown): FormatResult {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return ok(String(value));
  if (value instanceof Date && !Number.isNaN(value.getTime())) return ok(value.toISOString());
  return fail(`${describeValue(value)} cannot be written as a string`);
}

/** Milliseconds since the epoch from a Date, an ISO-8601 string, or a number of seconds since the epoch. */
function toEpochMillis(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value === 'bigint') return Number(value) * 1000;
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) && value.includes('T');
    const millis = Date.parse(hasZone || !value.includes('T') ? value : `${value}Z`);
    return Number.isNaN(millis) ? undefined : millis;
  }
  return undefined;
}

/**
 * Event times: a String feature gets ISO-8601 UTC with milliseconds (`yyyy-MM-dd'T'HH:mm:ss.SSSZ`),
 * a Fractional one seconds since the epoch — the two forms Feature Store accepts.
 */
export function formatEventTime(value: unknown, type: FeatureType): FormatResult {
  const millis = toEpochMillis(value);
  if (millis === undefined || millis < 0 || millis > MAX_EVENT_TIME_MS) {
    return fail(`${describeValue(value)} is not a timestamp between 1970 and 9999 (a Date, an ISO-8601 string or seconds since 1970)`);
  }
  if (type === 'Fractional') return ok(String(millis / 1000));
  if (type === 'String') return ok(new Date(millis).toISOString());
  return fail(`an event time cannot be an ${type} feature`);
}

export function formatFeatureValue(value: unknown, type: FeatureType): FormatResult {
  switch (type) {
    case 'Integral':
      return formatIntegral(value);
    case 'Fractional':
      return formatFractional(value);
    case 'String':
      return formatString(value);
  }
}
