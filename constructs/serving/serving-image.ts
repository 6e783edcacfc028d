import { join } from 'node:path';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import type { Construct } from 'constructs';
import type { Architecture } from '../../lib/decision';

/** What the serving container promises every target; one place, in lib/, so Kubernetes objects share it. */
export { SERVING_CONTAINER } from '../../lib/serving';

/** The build context of the serving image: the `serving/` folder and its Dockerfile. */
export const SERVING_IMAGE_DIRECTORY = join(__dirname, '..', '..', 'serving');

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
