/** A request as both adapters (node:http and Lambda) hand it to the core: body already read and bounded. */
export interface CoreRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Bytes as received (JSON, or a binary tensor data body), or text. */
  readonly body: Buffer | string;
  readonly requestId: string;
}

export interface CoreResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Text, or bytes for a binary tensor data response. */
  readonly body: string | Buffer;
}

export const JSON_CONTENT_TYPE = 'application/json';

export function jsonResponse(status: number, payload: unknown, headers: Record<string, string> = {}): CoreResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(payload) };
}
