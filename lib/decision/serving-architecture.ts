import type { Architecture } from './types';

/**
 * The architecture the platform's serving image is built for, so the one the deployed decisions are priced with:
 * x86_64, because GPU nodes are x86_64 only and one image serves every target. arm64 would be ~20% cheaper on Lambda
 * and Fargate, at the price of a multi-architecture image.
 */
export const SERVING_IMAGE_ARCHITECTURE: Architecture = 'x86_64';
