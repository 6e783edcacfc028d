'use strict';
// Jest runs each test file in its own vm realm, so `Float32Array` inside a test
// is not the `Float32Array` that onnxruntime-node's native binding creates its
// output arrays with; onnxruntime-common's `instanceof` checks then fail with
// "A float32 tensor's data must be type of function Float32Array()". Sharing
// the outer realm's binary-data constructors makes both sides agree.
// Use it with a docblock at the top of a test file:
//   /** @jest-environment ./test/support/onnx-test-environment.js */
const { TestEnvironment } = require('jest-environment-node');

const SHARED_BINARY_CONSTRUCTORS = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Float16Array', // Node 22+ only; skipped where absent
];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED_BINARY_CONSTRUCTORS) {
      if (name in globalThis) this.global[name] = globalThis[name];
    }
  }
}

module.exports = OnnxTestEnvironment;
