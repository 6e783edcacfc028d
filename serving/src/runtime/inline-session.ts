import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { SessionHandle, SessionTensor } from './session-handle';

/**
 * A session on the event loop's own thread. `run` blocks the loop for the duration of
 * the compute, so this suits only models that take microseconds per batch; it saves the
 * two thread hops a worker costs (see the `executor` model setting).
 */
export class InlineSession implements SessionHandle {
  private constructor(private readonly session: InferenceSession) {}

  static async create(modelBytes: Uint8Array, options: InferenceSession.SessionOptions): Promise<InlineSession> {
    return new InlineSession(await InferenceSession.create(modelBytes, options));
  }

  get inputMetadata(): readonly InferenceSession.ValueMetadata[] {
    return this.session.inputMetadata;
  }

  get outputMetadata(): readonly InferenceSession.ValueMetadata[] {
    return this.session.outputMetadata;
  }

  async run(feeds: Record<string, SessionTensor>): Promise<Record<string, SessionTensor>> {
    const tensors: Record<string, Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) tensors[name] = new Tensor(feed.type, feed.data, feed.dims); // string[] for 'string'
    const results = await this.session.run(tensors);
    const outputs: Record<string, SessionTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      const tensor = value;
      outputs[name] = { type: tensor.type, dims: tensor.dims, data: tensor.data };
    }
    return outputs;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
