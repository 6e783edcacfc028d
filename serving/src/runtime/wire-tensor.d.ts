import type { TypedArray } from '../protocol/datatypes';

/** The typed array of each onnxruntime tensor type that is not `string`. */
export declare const TYPED_ARRAYS: Readonly<Record<string, new (buffer: ArrayBuffer) => TypedArray>>;
/** A copy of the view's bytes in an ArrayBuffer of their own. */
export declare function copyToOwnBuffer(data: ArrayBufferView): ArrayBuffer;
/** The array's memory as a transferable ArrayBuffer: itself when the array spans it, else a copy. */
export declare function ownBuffer(data: ArrayBufferView): ArrayBuffer;
