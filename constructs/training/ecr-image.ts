import { DIGEST_PINNED_ECR_IMAGE } from '../../lib/training';

export interface EcrImage {
  readonly account: string;
  readonly region: string;
  readonly name: string;
  readonly digest: string;
}

/** The repository of a digest-pinned ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>@sha256:…`). */
export function ecrRepositoryOf(image: string): EcrImage {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^@]+)@(sha256:[a-f0-9]{64})$/.exec(image);
  if (!DIGEST_PINNED_ECR_IMAGE.test(image) || match === null) throw new Error(`${image} is not an ECR image pinned by digest`);
  return { account: match[1], region: match[2], name: match[3], digest: match[4] };
}
