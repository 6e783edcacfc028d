import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DRIFT_DETECTOR_ENV, DRIFT_DETECTOR_SERVICE, driftModelsSchema } from '../../lib/drift';
import { LAYOUT_ENVIRONMENT } from '../../lib/lakehouse';
import { requireEnv } from '../shared/env';
import { lambdaHandler } from '../shared/handler-template';
import { createObservability } from '../shared/powertools';
import { detectDrift, type DetectorConfig, type VersionOutcome } from './detect-drift';

const observability = createObservability(DRIFT_DETECTOR_SERVICE);
const { logger, metrics, tracer } = observability;

const config: DetectorConfig = {
  environment: requireEnv(DRIFT_DETECTOR_ENV.environmentName),
  models: driftModelsSchema.parse(JSON.parse(requireEnv(DRIFT_DETECTOR_ENV.models))),
  scheduleMinutes: Number(requireEnv(DRIFT_DETECTOR_ENV.scheduleMinutes)),
  silverBucket: requireEnv(DRIFT_DETECTOR_ENV.silverBucket),
  baselines: {
    repositoryBucket: requireEnv(DRIFT_DETECTOR_ENV.modelRepositoryBucket),
    repositoryPrefix: process.env[LAYOUT_ENVIRONMENT.modelRepositoryPrefix] ?? '',
    modelPackageArnPrefix: requireEnv(DRIFT_DETECTOR_ENV.modelPackageArnPrefix),
  },
  eventBusName: requireEnv(DRIFT_DETECTOR_ENV.eventBusName),
};
const deps = {
  s3: tracer.captureAWSv3Client(new S3Client({})),
  sagemaker: tracer.captureAWSv3Client(new SageMakerClient({})),
  eventBridge: tracer.captureAWSv3Client(new EventBridgeClient({})),
  logger,
  metrics,
  now: () => new Date(),
};

/** Scheduled (EventBridge Scheduler); the event carries nothing the detector needs. */
export const handler = lambdaHandler(observability, (): Promise<VersionOutcome[]> => detectDrift(deps, config));
