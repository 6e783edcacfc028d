import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EKSClient } from '@aws-sdk/client-eks';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { METRICS_QUERY_URL_VARIABLE, parseRolloutTargets, ROLLOUT_TARGETS_VARIABLE } from '../../lib/rollout';
import { requireEnv } from '../shared/env';
import { lambdaHandler } from '../shared/handler-template';
import { createObservability } from '../shared/powertools';
import { parseRepositoryPrefix } from '../promote-model/repository';
import { eksKubernetesApis } from './eks-connection';
import { createPrometheusQuery } from './prometheus-query';
import { createRolloutHandler } from './rollout-handler';
import { ROLLOUT_SERVICE } from './rollout-metrics';
import { prometheusSignalReader } from './serving-signal-check';

const observability = createObservability(ROLLOUT_SERVICE);
const { tracer } = observability;

const targets = parseRolloutTargets(requireEnv(ROLLOUT_TARGETS_VARIABLE));
/** Stop watching a Kubernetes rollout this long before the function times out, to leave time for the rollback patch. */
const ROLLBACK_MARGIN_MS = 60_000;
let watchDeadline = 0;
const eks = tracer.captureAWSv3Client(new EKSClient({}));
// Set when an EKS model is governed: its rollouts are judged on the workspace's error-rate and latency signals.
const metricsQueryUrl = process.env[METRICS_QUERY_URL_VARIABLE];
const rolloutHandler = createRolloutHandler(
  {
    sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})),
    s3: tracer.captureAWSv3Client(new S3Client({})),
    ssm: tracer.captureAWSv3Client(new SSMClient({})),
    lambda: tracer.captureAWSv3Client(new LambdaClient({})),
    codedeploy: tracer.captureAWSv3Client(new CodeDeployClient({})),
    ecs: tracer.captureAWSv3Client(new ECSClient({})),
    kubernetes: eksKubernetesApis(eks),
    kubernetesWatch: { pollSeconds: 10, deadline: () => watchDeadline },
    servingSignals: metricsQueryUrl
      ? prometheusSignalReader(createPrometheusQuery({ url: metricsQueryUrl, region: requireEnv('AWS_REGION'), credentials: eks.config.credentials }))
      : undefined,
    repository: { bucket: requireEnv('MODEL_REPOSITORY_BUCKET'), prefix: parseRepositoryPrefix(process.env.MODEL_REPOSITORY_PREFIX ?? '') },
  },
  targets,
  observability,
);

export const handler = lambdaHandler(observability, (event: unknown, context) => {
  watchDeadline = Date.now() + context.getRemainingTimeInMillis() - ROLLBACK_MARGIN_MS;
  return rolloutHandler(event);
});
