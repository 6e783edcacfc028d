import { ServingCore } from './adapters/serving-core';
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
}

/** Wires the domain objects shared by the HTTP server and the Lambda handler. */
export function createServingApp(settings: ServingSettings, logger: ServingLogger = createLogger(settings.logLevel)): ServingApp {
  const metrics = new ServingMetrics();
  const repository = new ModelRepository({
    source: openRepositorySource(settings.modelRepository, { forcePathStyle: settings.s3ForcePathStyle }),
    threads: { intraOpThreads: settings.intraOpThreads, interOpThreads: settings.interOpThreads },
    metrics,
    logger,
    pollIntervalMs: settings.pollIntervalMs,
    servedModels: settings.servedModels,
    selection: settings.versionSelection,
  });
  const core = new ServingCore({ repository, metrics, logger, sagemakerModel: settings.sagemakerModel, jsonLimits: settings.jsonLimits });
  return { core, repository, metrics, logger };
}
