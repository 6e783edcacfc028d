import type { Gate } from '../../lib/training';
import type { Duration } from 'aws-cdk-lib';
import type { ArchiveLimits } from '../../lib/config/promotion';
import type { ILakehouse } from '../lakehouse';
import type { IModelRegistry, IModelRepository } from '../model-registry';
import type { DataPathFunctionOptions } from './data-path-function-options';

export interface ModelPromotionProps extends DataPathFunctionOptions {
  /** The registry whose `Approved` packages are promoted; the function may describe their versions. */
  readonly modelRegistry: IModelRegistry;

  /** Where approved models are written in the serving layout (`{prefix}{model}/{version}/model.onnx`). */
  readonly modelRepository: IModelRepository;

  /** The lakehouse whose gold `model-artifacts/` holds the registered artifacts (copied or unpacked, never changed). */
  readonly lakehouse: ILakehouse;

  /**
   * Evaluation gate per model (lib/training): a package of a gated model is promoted only if its evaluation report
   * (ModelMetrics.ModelQuality) passes the same gate the training pipeline ran.
   * @default - no gate: any package with evaluation metrics registered is promoted
   */
  readonly evaluationGates?: Readonly<Record<string, Gate>>;

  /**
   * How long EventBridge keeps retrying delivery of an approval event before it goes to the dead-letter queue.
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;

  /**
   * Memory in MB. An .onnx artifact is two server-side copies; a model.tar.gz streams through the function (gunzip,
   * tar, a multipart upload holding up to 4 parts of 5 MB): 512 MB for the CPU to gunzip.
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * Longest run for one approval: a model of a few GB.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;

  /**
   * Promotions at once.
   * @default 2
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * What each model's package may expand to (model name → limits; see lib/config/promotion.ts): enforced while
   * streaming, each rejection naming its limit. The platform stack sizes them from each model's serving memory.
   * @default FALLBACK_ARCHIVE_LIMITS for every model (a 2 GB serving instance)
   */
  readonly archiveLimits?: Readonly<Record<string, ArchiveLimits>>;
}
