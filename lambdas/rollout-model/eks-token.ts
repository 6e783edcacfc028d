import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Prefix of an EKS bearer token (aws-iam-authenticator's `v1` token format). */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/** Header that binds a token to one cluster; it must be signed. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/**
 * A bearer token for the Kubernetes API of an EKS cluster, as `aws eks get-token` makes it: an STS
 * `GetCallerIdentity` URL presigned with SigV4 (60 s) that signs the cluster name in `x-k8s-aws-id`,
 * base64url-encoded without padding behind `k8s-aws-v1.`. The cluster's authenticator calls the URL to learn the
 * caller's IAM identity, which an EKS access entry maps to Kubernetes groups.
 */
export async function eksToken(
  clusterName: string,
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  signingDate?: Date,
): Promise<string> {
  const hostname = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({ service: 'sts', region, credentials, sha256: Sha256 });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName },
    },
    { expiresIn: 60, signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return EKS_TOKEN_PREFIX + Buffer.from(`https://${hostname}/?${query}`).toString('base64url');
}
