'use strict';
// How tensors cross between the event loop and the session worker (session-worker.js): the typed array of each
// onnxruntime tensor type, and a tensor's memory as a transferable ArrayBuffer. Plain JavaScript, shared by the worker
// and its client (session-worker-client.ts); types in wire-tensor.d.ts.

const TYPED_ARRAYS = {
  bool: Uint8Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  uint64: BigUint64Array,
  int64: BigInt64Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** A copy of the view's bytes in an ArrayBuffer of their own. */
function copyToOwnBuffer(data) {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
}

/** The array's memory as a transferable ArrayBuffer: itself when the array spans it, else a copy (never a pooled Buffer's slab). */
function ownBuffer(data) {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return whole ? data.buffer : copyToOwnBuffer(data);
}

module.exports = { TYPED_ARRAYS, copyToOwnBuffer, ownBuffer };
