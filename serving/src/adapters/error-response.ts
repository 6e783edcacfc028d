import { MethodNotAllowedError, ServingError } from '../errors';
import type { ServingLogger } from '../logger';
import { jsonResponse, type CoreResponse } from './core-types';

/** The one place where errors become responses: `{"error": "..."}` with the error's status. */
export function errorResponse(error: unknown, logger: ServingLogger, requestId: string): CoreResponse {
  if (error instanceof ServingError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof MethodNotAllowedError) headers.allow = error.allowed.join(', ');
    return jsonResponse(error.status, { error: error.message }, headers);
  }
  logger.error('unexpected error while serving a request', { requestId, error: error as Error });
  return jsonResponse(500, { error: 'internal server error' });
}
