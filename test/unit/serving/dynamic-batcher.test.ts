import { DynamicBatcher, type BatcherOptions } from '../../../serving/src/batching/dynamic-batcher';
import { QueueFullError, RequestTimeoutError } from '../../../serving/src/errors';

const options: BatcherOptions = {
  name: 'm',
  maxBatchSize: 8,
  maxQueueDelayMicros: 0,
  maxQueueSize: 100,
  requestTimeoutMs: 5_000,
  instances: 1,
};

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A runner whose batches finish only when the test releases them. */
function controlledRunner() {
  const batches: { items: number[]; release: () => void; fail: (e: Error) => void }[] = [];
  const run = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({ items: [...items], release: () => resolve(items.map((i) => i * 10)), fail: reject });
    });
  return { batches, run };
}

describe('DynamicBatcher', () => {
  it('runs a request in the turn it arrives when idle, then coalesces the requests that queued meanwhile, and splits results back', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher(options, run);
    const first = batcher.submit(1, 1);
    await flush();
    const rest = [2, 3, 4].map((i) => batcher.submit(i, 1));
    await flush();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0].release();
    await expect(first).resolves.toBe(10);
    await flush();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1].release();
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40]);
  });

  it('sends the requests that arrive in one event-loop turn as one batch, even to an idle session', async () => {
    // Under full load the first request read in a turn used to leave alone: batches alternated between 1 row and the rest.
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher(options, run);
    const all = [1, 2, 3, 4, 5].map((i) => batcher.submit(i, 1));
    expect(batches).toHaveLength(0);
    await flush();
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3, 4, 5]]);
    batches[0].release();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('never puts more than maxBatchSize rows in one batch', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher({ ...options, maxBatchSize: 4 }, run);
    const all = [batcher.submit(0, 1), ...[1, 2, 3, 4, 5].map((i) => batcher.submit(i, 2))];
    // 5 rows queued pass the limit: a batch leaves at once, with as many whole requests as fit (1 + 2 rows).
    expect(batches.map((b) => b.items)).toEqual([[0, 1]]);
    for (const expected of [
      [2, 3],
      [4, 5],
    ]) {
      batches[batches.length - 1].release();
      await flush();
      expect(batches[batches.length - 1].items).toEqual(expected);
    }
    batches[2].release();
    await expect(Promise.all(all)).resolves.toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('runs every request alone when maxBatchSize is 1', async () => {
    const seen: number[][] = [];
    const batcher = new DynamicBatcher<number, number>({ ...options, maxBatchSize: 1 }, async (items) => {
      seen.push([...items]);
      return items.map((i) => i);
    });
    await Promise.all([1, 2, 3].map((i) => batcher.submit(i, 1)));
    expect(seen).toEqual([[1], [2], [3]]);
  });

  it('waits up to maxQueueDelayMicros for companions, then runs what has queued', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher({ ...options, maxQueueDelayMicros: 40_000 }, run);
    void batcher.submit(1, 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    void batcher.submit(2, 1);
    expect(batches).toHaveLength(0); // idle, but the oldest request has not waited 40 ms yet
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches.map((b) => b.items)).toEqual([[1, 2]]);
    batches[0].release();
    await batcher.whenIdle();
  });

  it('does not wait for the delay once maxBatchSize rows are queued', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher({ ...options, maxBatchSize: 3, maxQueueDelayMicros: 10_000_000 }, run);
    const all = [1, 2, 3].map((i) => batcher.submit(i, 1));
    expect(batches.map((b) => b.items)).toEqual([[1, 2, 3]]);
    batches[0].release();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30]);
  });

  it('rejects with QueueFullError beyond maxQueueSize', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher({ ...options, maxQueueSize: 2 }, run);
    const first = batcher.submit(1, 1);
    await flush();
    const admitted = [first, batcher.submit(2, 1), batcher.submit(3, 1)];
    await expect(batcher.submit(4, 1)).rejects.toBeInstanceOf(QueueFullError);
    batches[0].release();
    await flush();
    batches[1].release();
    await expect(Promise.all(admitted)).resolves.toEqual([10, 20, 30]);
  });

  it('times out queued and running requests with RequestTimeoutError', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher({ ...options, requestTimeoutMs: 20 }, run);
    const running = batcher.submit(1, 1);
    const queued = batcher.submit(2, 1);
    await expect(running).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(queued).rejects.toThrow(/did not finish within 20 ms/);
    expect(batcher.queueDepth).toBe(0);
    batches[0].release();
    await batcher.whenIdle();
    expect(batches).toHaveLength(1); // the expired queued request never ran
  });

  it('rejects every request of a failed batch and keeps serving', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher(options, run);
    const failing = batcher.submit(1, 1);
    await flush();
    batches[0].fail(new Error('boom'));
    await expect(failing).rejects.toThrow('boom');
    const next = batcher.submit(2, 1);
    await flush();
    batches[1].release();
    await expect(next).resolves.toBe(20);
  });

  it('whenIdle resolves after queued and running requests finish', async () => {
    const { batches, run } = controlledRunner();
    const batcher = new DynamicBatcher(options, run);
    void batcher.submit(1, 1);
    await flush();
    void batcher.submit(2, 1);
    let idle = false;
    const waiting = batcher.whenIdle().then(() => (idle = true));
    batches[0].release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    batches[1].release();
    await waiting;
    expect(batcher.pending).toBe(0);
  });
});
