import { QueueFullError, RequestTimeoutError } from '../errors';

export interface BatcherOptions {
  /** Used in error messages. */
  readonly name: string;
  /** Most rows per batch; 0 or 1 runs every request on its own. */
  readonly maxBatchSize: number;
  readonly maxQueueDelayMicros: number;
  readonly maxQueueSize: number;
  readonly requestTimeoutMs: number;
  /** Batches allowed to run at the same time. */
  readonly instances: number;
}

export interface BatcherHooks {
  /** Called when a batch starts: its size in rows and how long each item waited in the queue. */
  onBatchStart?(rows: number, queueWaitSeconds: readonly number[]): void;
}

/** Runs one batch; must return exactly one result per item, in order. */
export type BatchRunner<T, R> = (items: readonly T[]) => Promise<readonly R[]>;

interface Pending<T, R> {
  readonly item: T;
  readonly rows: number;
  readonly enqueuedAt: bigint;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  settled: boolean;
}

/**
 * Coalesces concurrent requests into batches of at most `maxBatchSize` rows.
 *
 * When a session is free, the queue leaves as one batch as soon as it holds
 * `maxBatchSize` rows or its oldest request has waited `maxQueueDelayMicros`
 * (Triton's rule), checked once the event loop has read the requests waiting on its
 * sockets: the requests read in one turn leave together. With a delay of 0 an idle
 * model runs a request in the turn it arrives, and the requests that arrive while a
 * batch runs form the next batch.
 */
export class DynamicBatcher<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private queuedRows = 0;
  private running = 0;
  private delayTimer: NodeJS.Timeout | undefined;
  private dispatchQueued = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: BatcherOptions,
    private readonly run: BatchRunner<T, R>,
    private readonly hooks: BatcherHooks = {},
  ) {}

  /** Requests queued or running. */
  get pending(): number {
    return this.queue.length + this.running;
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  submit(item: T, rows: number): Promise<R> {
    if (this.queue.length >= this.options.maxQueueSize) {
      return Promise.reject(new QueueFullError(this.options.name, this.options.maxQueueSize));
    }
    return new Promise<R>((resolve, reject) => {
      const entry: Pending<T, R> = { item, rows, enqueuedAt: process.hrtime.bigint(), resolve, reject, settled: false };
      entry.timer = setTimeout(() => this.expire(entry), this.options.requestTimeoutMs);
      this.queue.push(entry);
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxBatchSize) this.dispatch();
      else this.dispatchAfterReads();
    });
  }

  /** Resolves once nothing is queued or running (used to close a retired model version). */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Dispatches once the event loop has read every request that is already waiting on its sockets (setImmediate runs
   * right after the I/O phase), so that the requests of one turn leave as one batch. Dispatching at each arrival made
   * the first request of a turn leave alone whenever the session was free: under full load the batches alternated
   * between 1 row and all the others (heavy-mlp at 64 connections: mean 29 rows instead of 56, 6-16% more CPU per
   * request), and a model whose batch has a large fixed cost paid it twice per round. A lone request waits only for
   * the rest of that turn (microseconds).
   */
  private dispatchAfterReads(): void {
    if (this.dispatchQueued) return;
    this.dispatchQueued = true;
    setImmediate(() => {
      this.dispatchQueued = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.running < this.options.instances && this.queue.length > 0) {
      if (!this.batchIsDue()) {
        this.armDelayTimer();
        return;
      }
      this.startBatch(this.takeBatch());
    }
  }

  private batchIsDue(): boolean {
    if (this.queuedRows >= this.options.maxBatchSize) return true;
    const waitedMicros = Number(process.hrtime.bigint() - this.queue[0].enqueuedAt) / 1000;
    return waitedMicros >= this.options.maxQueueDelayMicros;
  }

  private armDelayTimer(): void {
    if (this.delayTimer !== undefined) return;
    const waitedMicros = Number(process.hrtime.bigint() - this.queue[0].enqueuedAt) / 1000;
    const remainingMs = Math.max(0, (this.options.maxQueueDelayMicros - waitedMicros) / 1000);
    this.delayTimer = setTimeout(() => {
      this.delayTimer = undefined;
      // The oldest request has waited long enough (timers never fire early, but round to 1 ms).
      if (this.running < this.options.instances && this.queue.length > 0) this.startBatch(this.takeBatch());
      this.dispatch();
    }, remainingMs);
  }

  private takeBatch(): Pending<T, R>[] {
    clearTimeout(this.delayTimer); // armed for the old head of the queue
    this.delayTimer = undefined;
    const limit = Math.max(1, this.options.maxBatchSize);
    const batch: Pending<T, R>[] = [this.queue.shift()!];
    let rows = batch[0].rows;
    while (this.queue.length > 0 && limit > 1 && rows + this.queue[0].rows <= limit) {
      const next = this.queue.shift()!;
      rows += next.rows;
      batch.push(next);
    }
    this.queuedRows -= rows;
    return batch;
  }

  private startBatch(batch: Pending<T, R>[]): void {
    this.running++;
    const now = process.hrtime.bigint();
    this.hooks.onBatchStart?.(
      batch.reduce((sum, entry) => sum + entry.rows, 0),
      batch.map((entry) => Number(now - entry.enqueuedAt) / 1e9),
    );
    this.run(batch.map((entry) => entry.item))
      .then(
        (results) => batch.forEach((entry, i) => this.settle(entry, () => entry.resolve(results[i]))),
        (error: unknown) => batch.forEach((entry) => this.settle(entry, () => entry.reject(error))),
      )
      .finally(() => {
        this.running--;
        this.dispatch();
        if (this.pending === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
  }

  private expire(entry: Pending<T, R>): void {
    const index = this.queue.indexOf(entry);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.queuedRows -= entry.rows;
    }
    this.settle(entry, () => entry.reject(new RequestTimeoutError(this.options.name, this.options.requestTimeoutMs)));
    if (this.pending === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  private settle(entry: Pending<T, R>, action: () => void): void {
    if (entry.settled) return;
    entry.settled = true;
    clearTimeout(entry.timer);
    action();
  }
}
