/**
 * How a Feature Store PutRecord error is handled (API reference, PutRecord "Errors" + common errors):
 * - retry: throttling and server-side faults (ThrottlingException, ServiceUnavailable, InternalFailure, any 5xx);
 * - reject: the record itself is invalid (ValidationError) — retrying cannot help, it goes to the failure report;
 * - abort: anything else (ResourceNotFound, AccessForbidden, …) is about the group or the function, not the record.
 */
export type PutErrorHandling = 'retry' | 'reject' | 'abort';

const RETRYABLE_NAMES = new Set(['ThrottlingException', 'Throttling', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout', 'TimeoutError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export function classifyPutError(error: unknown): PutErrorHandling {
  if (typeof error !== 'object' || error === null) return 'abort';
  const { name, code, $fault, $metadata, $retryable } = error as SdkErrorShape;
  const status = $metadata?.httpStatusCode;
  if ((name !== undefined && RETRYABLE_NAMES.has(name)) || (code !== undefined && NETWORK_CODES.has(code))) return 'retry';
  if ($retryable !== undefined || $fault === 'server' || (status !== undefined && (status >= 500 || status === 429))) return 'retry';
  if (name === 'ValidationError') return 'reject';
  return 'abort';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
