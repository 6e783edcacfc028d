import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { TensorData } from '../protocol/datatypes';

export interface SessionTensor {
  readonly type: Tensor.Type;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

/** An onnxruntime session, wherever it runs (a worker thread, or inline on the event loop). */
export interface SessionHandle {
  readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
  run(feeds: Record<string, SessionTensor>): Promise<Record<string, SessionTensor>>;
  release(): Promise<void>;
}
