import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { PayloadTooLargeError } from '../errors';
import type { ServingLogger } from '../logger';
import type { CoreRequest, CoreResponse } from './core-types';
import { errorResponse } from './error-response';
import type { InvocationFigures } from './lambda-figures';
import type { ServingCore } from './serving-core';

/** API Gateway HTTP API (payload format 2.0) events; Lambda Function URL events have the same shape (`LambdaFunctionURLEvent` is this type). */
export type HttpLambdaEvent = APIGatewayProxyEventV2;

export interface LambdaAdapterOptions {
  readonly core: ServingCore;
  readonly logger: ServingLogger;
  readonly maxBodyBytes: number;
  /** Resolves once the first repository scan is done (started at init, awaited by the first invocation). */
  readonly started: Promise<unknown>;
  /** Publishes each invocation's request, latency, batch and load-failure figures as EMF. @default - none published */
  readonly figures?: InvocationFigures;
}

/** The Lambda adapter: same routes and core as the HTTP server, no HTTP server inside Lambda. */
export function createLambdaHandler(options: LambdaAdapterOptions) {
  return async (event: HttpLambdaEvent, context?: Pick<Context, 'awsRequestId'>): Promise<APIGatewayProxyStructuredResultV2> => {
    await options.started;
    const requestId = event.requestContext.requestId ?? context?.awsRequestId ?? 'unknown';
    let response: CoreResponse;
    try {
      response = await options.core.handle(toCoreRequest(event, requestId, options.maxBodyBytes));
    } catch (error) {
      response = errorResponse(error, options.logger, requestId);
    }
    await options.figures?.publish();
    // Binary tensor data answers travel base64-encoded; API Gateway and Function URLs decode them for the client.
    const binary = typeof response.body !== 'string';
    const body = binary ? (response.body as Buffer).toString('base64') : (response.body as string);
    return { statusCode: response.status, headers: { ...response.headers, 'x-request-id': requestId }, body, isBase64Encoded: binary };
  };
}

export function toCoreRequest(event: HttpLambdaEvent, requestId: string, maxBodyBytes: number): CoreRequest {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : undefined;
  const size = bytes?.length ?? Buffer.byteLength(raw, 'utf8');
  if (size > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: stripStage(event.rawPath, event.requestContext.stage),
    headers,
    body: bytes ?? raw,
    requestId,
  };
}

/** HTTP API named stages prefix rawPath with `/{stage}`; `$default` stages and Function URLs do not. */
function stripStage(rawPath: string, stage: string | undefined): string {
  if (stage === undefined || stage === '$default') return rawPath;
  const prefix = `/${stage}`;
  return rawPath === prefix ? '/' : rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}
