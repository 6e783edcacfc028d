import { ModelLoadError } from '../errors';
import type { ServingLogger } from '../logger';
import type { ServingMetrics } from '../metrics';
import { parseModelConfig } from '../model-config';
import { ModelVersion, type SessionThreads } from '../runtime/model-version';
import { CONFIG_FILE, MODEL_FILE, selectVersions, type RepositoryVersion, type VersionSelection } from './repository-layout';
import type { RepositorySource } from './repository-source';

export interface ModelRepositoryOptions {
  readonly source: RepositorySource;
  readonly threads: SessionThreads;
  readonly metrics: ServingMetrics;
  readonly logger: ServingLogger;
  /** 0 disables polling after the first scan. */
  readonly pollIntervalMs: number;
  /** Only these models are loaded (one deployment per model shares one repository); default: every model. */
  readonly servedModels?: readonly string[];
  /**
   * The newest version of each model (default), or the one version a deployment pinned: a pinned server never
   * switches versions on its own; a new version reaches traffic only through a new deployment (docs/serving-targets.md).
   */
  readonly selection?: VersionSelection;
}

export interface PollReport {
  readonly loaded: readonly string[];
  readonly failed: readonly ModelLoadError[];
}

/**
 * Serves the latest version of every model in the repository. Each poll loads new or
 * changed versions, warms them, swaps them in atomically and retires the previous
 * version once its queued and running requests have finished. A version that fails
 * to load is reported and not retried until its files change; the old one keeps serving.
 * Models removed from the repository keep serving until restart (a failed or empty
 * listing must never take a model down).
 */
export class ModelRepository {
  private readonly serving = new Map<string, ModelVersion>();
  /** Fingerprint of the last version tried per model, loaded or failed. */
  private readonly attempted = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<PollReport> | undefined;
  private stopped = false;
  private firstScanDone = false;
  /** Why the last scan left a wanted model unserved, for the readiness answer. */
  private lastProblem: string | undefined;

  constructor(private readonly options: ModelRepositoryOptions) {}

  /** Scans once (awaited), then keeps polling in the background. */
  async start(): Promise<PollReport> {
    const report = await this.poll();
    this.scheduleNextPoll();
    return report;
  }

  get(model: string): ModelVersion | undefined {
    return this.serving.get(model);
  }

  list(): ModelVersion[] {
    return [...this.serving.values()];
  }

  /** True once the first scan finished and at least one model serves. */
  get ready(): boolean {
    return this.firstScanDone && this.serving.size > 0;
  }

  /** Why the repository is not ready (undefined when it is): still loading, nothing pinned, pinned version absent or broken. */
  get notReadyReason(): string | undefined {
    if (this.ready) return undefined;
    if (!this.firstScanDone) return 'models are still loading';
    return this.lastProblem ?? 'no model version found in the repository';
  }

  /** Runs one scan; concurrent callers share the scan in progress. */
  poll(): Promise<PollReport> {
    this.polling ??= this.scan().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /** Stops polling and closes every session after its in-flight requests finish. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling?.catch(() => undefined);
    const versions = this.list();
    this.serving.clear();
    await Promise.all(versions.map((version) => version.retire()));
  }

  private scheduleNextPoll(): void {
    if (this.stopped || this.options.pollIntervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.poll().finally(() => this.scheduleNextPoll());
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  private async scan(): Promise<PollReport> {
    const { logger, source } = this.options;
    const loaded: string[] = [];
    const failed: ModelLoadError[] = [];
    const selection = this.options.selection ?? { kind: 'latest' };
    let wanted: RepositoryVersion[];
    try {
      const served = this.options.servedModels;
      wanted = selectVersions(await source.listFiles(), selection).filter((found) => served === undefined || served.includes(found.model));
    } catch (error) {
      logger.error('model repository listing failed; keeping the loaded versions', { location: source.location, error: error as Error });
      return { loaded, failed };
    }
    this.lastProblem = wanted.length === 0 ? nothingToServe(selection) : this.lastProblem;
    for (const latest of wanted) {
      if (this.stopped || this.attempted.get(latest.model) === latest.fingerprint) continue;
      this.attempted.set(latest.model, latest.fingerprint);
      try {
        await this.swapIn(await this.load(latest));
        loaded.push(`${latest.model}/${latest.version}`);
      } catch (error) {
        const loadError = error instanceof ModelLoadError ? error : new ModelLoadError(latest.model, latest.version, error);
        this.options.metrics.modelLoadFailures.inc({ model: latest.model });
        logger.error(loadError.message, { model: latest.model, version: latest.version, servingVersion: this.serving.get(latest.model)?.version });
        failed.push(loadError);
        this.lastProblem = loadError.message;
      }
    }
    this.firstScanDone = true;
    return { loaded, failed };
  }

  private async load(latest: RepositoryVersion): Promise<ModelVersion> {
    const { source, threads, metrics, logger } = this.options;
    const stopTimer = metrics.modelLoadDuration.startTimer({ model: latest.model });
    try {
      const base = `${latest.model}/${latest.version}`;
      const [modelBytes, configBytes] = await Promise.all([
        source.readFile(`${base}/${MODEL_FILE}`),
        latest.hasConfig ? source.readFile(`${base}/${CONFIG_FILE}`) : Promise.resolve(undefined),
      ]);
      const config = parseModelConfig(configBytes === undefined ? undefined : Buffer.from(configBytes).toString('utf8'));
      const version = await ModelVersion.load({ model: latest.model, version: latest.version, modelBytes, config, threads, metrics });
      const seconds = stopTimer();
      logger.info('model version loaded and warmed', { model: latest.model, version: latest.version, loadSeconds: seconds, batchable: version.batchable });
      return version;
    } catch (error) {
      throw new ModelLoadError(latest.model, latest.version, error);
    }
  }

  private async swapIn(next: ModelVersion): Promise<void> {
    if (this.stopped) {
      await next.retire();
      return;
    }
    const previous = this.serving.get(next.model);
    this.serving.set(next.model, next);
    const { metrics, logger } = this.options;
    metrics.modelVersionInfo.set({ model: next.model, version: next.version }, 1);
    if (previous === undefined || previous === next) return;
    if (previous.version !== next.version) metrics.modelVersionInfo.remove({ model: previous.model, version: previous.version });
    logger.info('model version swapped in; retiring the previous one after its in-flight requests', {
      model: next.model,
      version: next.version,
      previousVersion: previous.version,
    });
    previous.retire().catch((error: unknown) => logger.error('closing a retired model version failed', { model: previous.model, error: error as Error }));
  }
}

function nothingToServe(selection: VersionSelection): string {
  if (selection.kind === 'latest') return 'no model version found in the repository';
  if (selection.version === undefined) return `no version of ${selection.model} is approved for serving yet (SERVED_MODEL_VERSION=none)`;
  return `the pinned version ${selection.model}/${selection.version} (SERVED_MODEL_VERSION) is not in the repository`;
}
