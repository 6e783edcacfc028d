import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';

/** SigV4 service name of Amazon Managed Service for Prometheus (its query API included). */
export const AMP_SIGNING_SERVICE = 'aps';

export interface PrometheusQueryConnection {
  /** Instant-query URL: `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/query`. */
  readonly url: string;
  /** Region the request is signed for (the workspace's). */
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Signing time; tests fix it. @default - now */
  readonly signingDate?: () => Date;
}

/** One element of an instant vector: its labels and its value (`NaN`, `+Inf` and `-Inf` as numbers). */
export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Runs one PromQL instant query at the current time. */
export type PrometheusQuery = (expression: string) => Promise<InstantSample[]>;

/** A request the query API refused, or an answer that is not a Prometheus API response. */
export class PrometheusQueryError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

/**
 * The Prometheus HTTP API's instant query (`POST <url>` with a form-encoded `query`, which AMP documents beside GET)
 * signed with SigV4 for the `aps` service and the workspace's region: the signer adds `x-amz-date` (and
 * `x-amz-security-token` with temporary credentials) and an `Authorization` header over host, content-type, those
 * headers and the body's SHA-256.
 */
export async function signedQueryRequest(connection: PrometheusQueryConnection, expression: string): Promise<HttpRequest> {
  const url = new URL(connection.url);
  const body = new URLSearchParams({ query: expression }).toString();
  // applyChecksum false: no x-amz-content-sha256 header, which only S3 requires (the body's hash is signed either way).
  const signer = new SignatureV4({
    service: AMP_SIGNING_SERVICE,
    region: connection.region,
    credentials: connection.credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  return signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    },
    { signingDate: connection.signingDate?.() },
  );
}

/** A query function over `connection`; throws `PrometheusQueryError` naming the status and Prometheus' own error. */
export function createPrometheusQuery(connection: PrometheusQueryConnection): PrometheusQuery {
  const timeoutMs = connection.timeoutMs ?? 10_000;
  return async (expression) => {
    const signed = await signedQueryRequest(connection, expression);
    // fetch sets Host from the URL itself (the same value that was signed).
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(connection.url, { method: 'POST', headers, body: signed.body as string, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let parsed: { status?: string; error?: string; message?: string; data?: { resultType?: string; result?: unknown } } | undefined;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (!response.ok || parsed?.status !== 'success') {
      const reason = parsed?.error ?? parsed?.message ?? text.slice(0, 300);
      throw new PrometheusQueryError(response.status, `Prometheus query ${expression}: HTTP ${response.status}: ${reason}`);
    }
    if (parsed.data?.resultType !== 'vector' || !Array.isArray(parsed.data.result)) {
      throw new PrometheusQueryError(
        response.status,
        `Prometheus query ${expression}: expected an instant vector, got ${parsed.data?.resultType ?? 'no data'}`,
      );
    }
    return (parsed.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((sample) => ({
      labels: sample.metric,
      value: parsePrometheusValue(sample.value[1]),
    }));
  };
}

/** Prometheus writes sample values as strings, with `NaN`, `+Inf` and `-Inf` for the special values. */
export function parsePrometheusValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
