/**
 * Named errors of the serving domain. Each carries the HTTP status it maps to;
 * the mapping to a response happens once, in `adapters/error-response.ts`.
 */
export abstract class ServingError extends Error {
  abstract readonly status: number;
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  readonly retryAfterSeconds?: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed JSON, unknown input, wrong shape or datatype, non-finite values... */
export class BadRequestError extends ServingError {
  readonly status = 400;
}

/** The datatype exists in the protocol but this server cannot handle it (FP16, BYTES). */
export class UnsupportedDatatypeError extends BadRequestError {}

export class ModelNotFoundError extends ServingError {
  readonly status = 404;
  constructor(model: string, version?: string) {
    super(version === undefined ? `model '${model}' is not loaded` : `model '${model}' version '${version}' is not loaded`);
  }
}

export class RouteNotFoundError extends ServingError {
  readonly status = 404;
  constructor(method: string, path: string) {
    super(`no route for ${method} ${path}`);
  }
}

export class MethodNotAllowedError extends ServingError {
  readonly status = 405;
  constructor(
    method: string,
    path: string,
    readonly allowed: readonly string[],
  ) {
    super(`${method} is not allowed on ${path} (allowed: ${allowed.join(', ')})`);
  }
}

export class PayloadTooLargeError extends ServingError {
  readonly status = 413;
  constructor(limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes`);
  }
}

/** A body within the byte limit that holds more JSON values than the server parses in one request. */
export class TooManyJsonValuesError extends ServingError {
  readonly status = 413;
  constructor(limit: number) {
    super(`request JSON holds more than ${limit} values (MAX_JSON_VALUES)`);
  }
}

/** The client went away before its request was read; nobody is left to answer. */
export class ClientDisconnectedError extends Error {
  constructor(readonly received: number) {
    super(`client disconnected after ${received} bytes of the request body`);
    this.name = 'ClientDisconnectedError';
  }
}

export class QueueFullError extends ServingError {
  readonly status = 429;
  override readonly retryAfterSeconds = 1;
  constructor(model: string, maxQueueSize: number) {
    super(`queue for model '${model}' is full (${maxQueueSize} requests waiting); retry later`);
  }
}

export class NotReadyError extends ServingError {
  readonly status = 503;
  override readonly retryAfterSeconds: number;
  constructor(reason: string, retryAfterSeconds = 5) {
    super(reason);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class RequestTimeoutError extends ServingError {
  readonly status = 504;
  constructor(model: string, timeoutMs: number) {
    super(`inference on model '${model}' did not finish within ${timeoutMs} ms`);
  }
}

/** A model version whose files or config are unusable; reported, never served. */
export class ModelLoadError extends Error {
  constructor(
    readonly model: string,
    readonly version: string,
    cause: unknown,
  ) {
    super(`model '${model}' version '${version}' failed to load: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ModelLoadError';
  }
}

/** The server settings (environment variables / CLI flags) are invalid; fails at start. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}
