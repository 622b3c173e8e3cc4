// What our wasm kernels need from tfjs-backend-wasm's BackendWasm: tensor data lives on the wasm heap,
// counted by reference per dataId. Views from typedArrayFromHeap go stale when the heap grows, so a
// kernel allocates every output first and takes its views after.
import * as tf from '@tensorflow/tfjs';

export type KernelArgs = Parameters<tf.KernelFunc>[0];
export type Info = tf.TensorInfo;
export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** WebAssembly.Memory (the SDK compiles without DOM typings, where the WebAssembly namespace lives). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

export interface WasmHeapBackend {
  incRef(dataId: object): void;
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): HeapArray;
  /** The emscripten module; its exports hold the heap's WebAssembly.Memory. */
  wasm: { asm?: { memory?: WasmMemory } };
}

export function heapBackend(b: unknown): WasmHeapBackend {
  return b as WasmHeapBackend;
}

/** The registered wasm kernel `name`; throws when the backend lacks it. */
export function wasmKernel(name: string): tf.KernelConfig {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`the wasm backend has no ${name} kernel`);
  return k;
}

/** Replaces the wasm kernel `name` by `kernelFunc`, which may call the original. */
export function overrideWasmKernel(name: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = wasmKernel(name);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: make(original.kernelFunc) });
}

/** A new tensor info sharing x's data (as the cpu backend's Identity and Reshape do): no copy. */
export function shareData(backend: WasmHeapBackend, x: Info, shape: number[] = x.shape): Info {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * Where t's data starts on the heap, in 4-byte words (for row copies with copyWithin on an Int32Array of the
 * whole heap). Unsigned shift: past 2 GiB of heap, byte offsets exceed 2^31 and a signed `>> 2` goes negative.
 */
export function heapWordOffset(backend: WasmHeapBackend, t: Info): number {
  return backend.typedArrayFromHeap(t).byteOffset >>> 2;
}
