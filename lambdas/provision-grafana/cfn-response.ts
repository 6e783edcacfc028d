import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The answer CloudFormation waits for, PUT to the event's pre-signed ResponseURL. */
export interface CustomResourceResponse {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason?: string;
  readonly data?: Record<string, string>;
}

/** CloudFormation shows at most this much of a reason; the response body must stay under 4 KB. */
const MAX_REASON_CHARS = 1000;

/**
 * Sends the response document (CloudFormation User Guide, custom resource response objects). The pre-signed S3 URL is
 * signed without a content type, so none is sent.
 */
export async function sendCustomResourceResponse(event: CloudFormationCustomResourceEvent, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify({
    Status: response.status,
    Reason: (response.reason ?? 'See the provision-grafana function logs').slice(0, MAX_REASON_CHARS),
    PhysicalResourceId: response.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: response.data ?? {},
  });
  const answer = await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'Content-Type': '', 'Content-Length': String(Buffer.byteLength(body)) },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  if (!answer.ok) throw new Error(`CloudFormation response URL answered ${answer.status}`);
}
