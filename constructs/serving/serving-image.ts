import { join } from 'node:path';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import type { Construct } from 'constructs';
import type { Architecture } from '../../lib/decision';

/**
 * What the serving container (`serving/`, see docs/serving.md) promises every target: the port, the Open
 * Inference Protocol health routes, the Prometheus route and the Lambda handler. One place, so a change in the
 * container is one change here.
 */
export const SERVING_CONTAINER = {
  port: 8080,
  livenessPath: '/v2/health/live',
  readinessPath: '/v2/health/ready',
  metricsPath: '/metrics',
  /** A liveness check the image can run itself (it has node, no curl): exit 0 when /v2/health/live answers 200. */
  livenessCommand: [
    'node',
    '-e',
    "require('http').get('http://127.0.0.1:8080/v2/health/live',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))",
  ],
  /** The Lambda adapter's handler (`serving/src/lambda.ts`), the image CMD on Lambda. */
  lambdaCommand: ['lambda.handler'],
  /** The Lambda base image's runtime interface client; the image's default entrypoint runs the HTTP server instead. */
  lambdaEntrypoint: ['/lambda-entrypoint.sh'],
  /** Numeric non-root user the image runs as (ECS checks `user` without reading the image). */
  user: '10001',
  /** Seconds the HTTP server drains in-flight requests after SIGTERM (`DRAIN_TIMEOUT_SECONDS` default). */
  drainTimeoutSeconds: 25,
} as const;

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
