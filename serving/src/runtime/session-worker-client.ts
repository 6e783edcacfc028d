import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { SessionHandle, SessionTensor } from './session-handle';
import { copyToOwnBuffer, ownBuffer, TYPED_ARRAYS } from './wire-tensor';

/** Where the worker script lives; beside this file in the source tree and in the bundled image (`dist/`). */
export const SESSION_WORKER_PATH = join(__dirname, 'session-worker.js');

type Reply =
  | { type: 'loaded'; inputs: InferenceSession.ValueMetadata[]; outputs: InferenceSession.ValueMetadata[] }
  | { type: 'result'; id: number; outputs: WireTensor[] }
  | { type: 'closed' }
  | { type: 'error'; id?: number; message: string };

/** A tensor in a message to or from the worker: a transferred buffer, or (string tensors) the strings, cloned. */
interface WireTensor {
  readonly name: string;
  readonly type: Tensor.Type;
  readonly dims: readonly number[];
  readonly buffer?: ArrayBuffer;
  readonly strings?: string[];
}

/**
 * An onnxruntime session living in a worker thread (see session-worker.js): `run` transfers
 * the input buffers to the worker and the output buffers back, without copying.
 */
export class WorkerSession implements SessionHandle {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private control: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    this.listen();
  }

  private metadata: { inputs: readonly InferenceSession.ValueMetadata[]; outputs: readonly InferenceSession.ValueMetadata[] } = { inputs: [], outputs: [] };

  get inputMetadata(): readonly InferenceSession.ValueMetadata[] {
    return this.metadata.inputs;
  }

  get outputMetadata(): readonly InferenceSession.ValueMetadata[] {
    return this.metadata.outputs;
  }

  static async create(modelBytes: Uint8Array, options: InferenceSession.SessionOptions): Promise<WorkerSession> {
    const session = new WorkerSession(new Worker(SESSION_WORKER_PATH));
    const copy = copyToOwnBuffer(modelBytes);
    try {
      const reply = await session.request({ type: 'load', modelBytes: copy, options }, [copy]);
      if (reply.type !== 'loaded') throw new Error(`unexpected reply ${reply.type}`);
      session.metadata = { inputs: reply.inputs, outputs: reply.outputs };
      return session;
    } catch (error) {
      await session.worker.terminate();
      throw error;
    }
  }

  async run(feeds: Record<string, SessionTensor>): Promise<Record<string, SessionTensor>> {
    if (this.failure !== undefined) throw this.failure;
    const id = this.nextId++;
    const transfer: ArrayBuffer[] = [];
    const message = Object.entries(feeds).map(([name, tensor]): WireTensor => {
      if (Array.isArray(tensor.data)) return { name, type: tensor.type, dims: tensor.dims, strings: tensor.data };
      const buffer = ownBuffer(tensor.data);
      transfer.push(buffer);
      return { name, type: tensor.type, dims: tensor.dims, buffer };
    });
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'run', id, feeds: message }, transfer);
    });
    if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
    const outputs: Record<string, SessionTensor> = {};
    for (const output of reply.outputs) {
      outputs[output.name] = { type: output.type, dims: output.dims, data: output.strings ?? new TYPED_ARRAYS[output.type](output.buffer!) };
    }
    return outputs;
  }

  /** Releases the session and stops the worker. */
  async release(): Promise<void> {
    try {
      if (this.failure === undefined) await this.request({ type: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(message: object, transfer: ArrayBuffer[] = []): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.control = { resolve, reject };
      this.worker.postMessage(message, transfer);
    });
  }

  private listen(): void {
    this.worker.on('message', (reply: Reply) => {
      const waiter = 'id' in reply && reply.id !== undefined ? this.pending.get(reply.id) : this.control;
      if (waiter === undefined) return;
      if ('id' in reply && reply.id !== undefined) this.pending.delete(reply.id);
      else this.control = undefined;
      if (reply.type === 'error') waiter.reject(new Error(reply.message));
      else waiter.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of [...this.pending.values(), ...(this.control ? [this.control] : [])]) waiter.reject(error);
      this.pending.clear();
      this.control = undefined;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`onnxruntime worker exited (code ${code})`)));
  }
}
