import { join } from 'node:path';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import type { Construct } from 'constructs';
import type { Architecture } from '../../lib/decision';

/** What the serving container promises every target; one place, in lib/, so Kubernetes objects share it. */
export { SERVING_CONTAINER } from '../../lib/serving';

/** The build context of the serving image: the `serving/` folder and its Dockerfile. */
export const SERVING_IMAGE_DIRECTORY = join(__dirname, '..', '..', 'serving');

/**
 * The serving container image in an ECR repository, as every target runs it (Lambda runs only ECR images): the image
 * `createServingImage` builds (a `DockerImageAsset` is one), or one your pipeline pushed (`servingImageFromEcr`).
 */
export interface IServingImage {
  readonly repository: ecr.IRepository;
  /** A tag, or a digest (`sha256:...`). */
  readonly imageTag: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` (or `@sha256:...`). */
  readonly imageUri: string;
}

/**
 * An image built outside this app, e.g. by CI: `servingImageFromEcr(ecr.Repository.fromRepositoryName(this, 'Repo',
 * 'onnx-serving'), 'sha256:…')`. It must be the serving image (serving/Dockerfile) for the decision's architecture.
 */
export function servingImageFromEcr(repository: ecr.IRepository, tagOrDigest: string): IServingImage {
  return { repository, imageTag: tagOrDigest, imageUri: repository.repositoryUriForTagOrDigest(tagOrDigest) };
}

export interface ServingImageOptions {
  /** CPU architecture the image is built for; must match the architecture the decision was priced with. */
  readonly architecture: Architecture;
  /**
   * Build context holding the Dockerfile.
   * @default SERVING_IMAGE_DIRECTORY
   */
  readonly directory?: string;
}

/** The one serving image of an environment, built for one architecture and run by every target. */
export function createServingImage(scope: Construct, id: string, options: ServingImageOptions): ecr_assets.DockerImageAsset {
  return new ecr_assets.DockerImageAsset(scope, id, {
    directory: options.directory ?? SERVING_IMAGE_DIRECTORY,
    platform: options.architecture === 'arm64' ? ecr_assets.Platform.LINUX_ARM64 : ecr_assets.Platform.LINUX_AMD64,
  });
}
