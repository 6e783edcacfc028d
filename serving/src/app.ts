import { ServingCore } from './adapters/serving-core';
import { createInferenceCapture, type InferenceCapture } from './capture';
import { createLogger, type ServingLogger } from './logger';
import { ServingMetrics } from './metrics';
import { ModelRepository } from './repository/model-repository';
import { openRepositorySource } from './repository/open-source';
import type { ServingSettings } from './settings';

export interface ServingApp {
  readonly core: ServingCore;
  readonly repository: ModelRepository;
  readonly metrics: ServingMetrics;
  readonly logger: ServingLogger;
  /** Undefined when capture is off for every model. */
  readonly capture?: InferenceCapture;
}

/** Wires the domain objects shared by the HTTP server and the Lambda handler. */
export function createServingApp(
  settings: ServingSettings,
  logger: ServingLogger = createLogger(settings.logLevel),
  options: { captureMode?: 'background' | 'on-demand'; env?: NodeJS.ProcessEnv } = {},
): ServingApp {
  const metrics = new ServingMetrics();
  const capture = createInferenceCapture({
    env: options.env,
    registry: metrics.registry,
    logger,
    mode: options.captureMode ?? 'background',
    forcePathStyle: settings.s3ForcePathStyle,
  });
  const repository = new ModelRepository({
    source: openRepositorySource(settings.modelRepository, { forcePathStyle: settings.s3ForcePathStyle }),
    threads: { intraOpThreads: settings.intraOpThreads, interOpThreads: settings.interOpThreads, executionProviders: settings.executionProviders },
    metrics,
    logger,
    pollIntervalMs: settings.pollIntervalMs,
    servedModels: settings.servedModels,
    selection: settings.versionSelection,
  });
  const core = new ServingCore({ repository, metrics, logger, sagemakerModel: settings.sagemakerModel, jsonLimits: settings.jsonLimits, capture });
  metrics.readLiveState({
    inflightByModel: () => core.inflightRequests(),
    queueDepths: () => repository.list().map((served) => ({ model: served.model, version: served.version, depth: served.queueDepth })),
  });
  return { core, repository, metrics, logger, capture };
}
