/**
 * What the serving container (`serving/`, see docs/serving.md) promises every target: the port, the Open
 * Inference Protocol health routes, the Prometheus route and the Lambda handler. One place, so a change in the
 * container is one change here; the CDK serving constructs and the Kubernetes objects (cdktf) both read it.
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
