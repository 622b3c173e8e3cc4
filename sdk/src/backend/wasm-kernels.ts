// Kernels the wasm backend needs for training, registered once when wasm becomes active:
// - UnsortedSegmentSum (missing in tfjs-backend-wasm; the gradient of gather uses it) and a row-copy
//   GatherV2: wasm-gather-kernels.ts; encode's reordering of its batches' rows: rows-of-parts.ts.
// - Identity and no-op Transpose that share data instead of copying: wasm-copy-free-kernels.ts.
// - AdamW as one kernel: fused-adamw.ts; StaticEmbedding's bag mean as one kernel: embedding-bag.ts.
// - GELU, LayerNorm and dropout (forward and gradient) as one kernel each: fused-gelu.ts,
//   fused-layer-norm.ts, fused-dropout.ts;
//   Sum over leading axes (bias gradients) as a SIMD column sum: wasm-column-sum.ts.
// - BatchMatMul: wasm's own kernel is 10-25x slower when transposeA/transposeB is set (every matMul
//   gradient sets one), so we transpose explicitly; batched products run our SIMD kernel
//   (wasm-simd-kernels.ts), single matrices XNNPACK (ours up to N 512).
import type * as tf from '@tensorflow/tfjs';
import { registerCopyFreeKernels } from './wasm-copy-free-kernels';
import { registerEmbeddingBag } from './embedding-bag';
import { registerFusedAdamW } from './fused-adamw';
import { registerFusedDropout } from './fused-dropout';
import { registerFusedGelu } from './fused-gelu';
import { registerFusedLayerNorm } from './fused-layer-norm';
import { registerColumnSum } from './wasm-column-sum';
import { registerGatherKernels } from './wasm-gather-kernels';
import { registerRowsOfParts } from './rows-of-parts';
import { heapBackend, overrideWasmKernel, wasmKernel, type Info, type KernelArgs, type WasmHeapBackend } from './wasm-heap';
import { simdKernels } from './wasm-simd-kernels';
import { dropPaddedColumns, padColumns, paddedWidth } from './wasm-padded-columns';

let registered = false;

const sizeOf = (shape: readonly number[]): number => shape.reduce((x, y) => x * y, 1);

// Single matrices up to this N run our kernel too: its unpacked B ([K, N] rows) stays in cache there, and it
// measured 0-25 % faster than XNNPACK (which also re-packs every new B) on [704, 256]·[256, 256] and
// [2048, 384]·[384, 384]; from N = 1024 XNNPACK's cache blocking wins (2× on [256, 704]·[704, 1024]).
const SIMD_MAX_SINGLE_N = 512;

/**
 * C = A·B with our SIMD kernel for batched products (attention: [B·heads, T, d] matrices), where wasm's
 * own kernel runs a scalar loop at ~1 GFLOP/s and ours ~25; needs float32, batch dims equal or one side
 * unbatched (any N: widths not a multiple of 4 are padded, wasm-padded-columns.ts). Undefined otherwise,
 * and for single matrices wider than SIMD_MAX_SINGLE_N, where XNNPACK (packed B, cache-blocked) wins.
 * Inputs are untransposed here.
 */
function simdMatMul(backend: WasmHeapBackend, a: Info, b: Info): Info | undefined {
  const memory = backend.wasm.asm?.memory;
  const simd = memory ? simdKernels(memory) : undefined;
  if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  if (k !== k2 || m === 0 || n === 0 || k === 0 || (Math.max(batchA, batchB) === 1 && n > SIMD_MAX_SINGLE_N)) return undefined;
  const batchShape = batchA >= batchB ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  if (batchA !== batchB && Math.min(batchA, batchB) !== 1) return undefined;
  const batch = Math.max(batchA, batchB);
  const out = backend.makeOutput([...batchShape, m, n], 'float32');
  // N not a multiple of 4 (attention scores [.., T, T]): run on B and C widened with zero columns.
  const n4 = paddedWidth(n);
  const b4 = n4 === n ? b : padColumns(backend, b, batchB * k, n);
  const c4 = n4 === n ? out : backend.makeOutput([batch * m, n4], 'float32');
  const [av, bv, cv] = [a, b4, c4].map((t) => backend.typedArrayFromHeap(t));
  simd.matmul(av.byteOffset, bv.byteOffset, cv.byteOffset, batch, m, k, n4, batchA === 1 ? 0 : m * k * 4, batchB === 1 ? 0 : k * n4 * 4);
  if (c4 !== out) {
    dropPaddedColumns(backend, c4, out, batch * m, n);
    backend.disposeData(c4.dataId);
    backend.disposeData(b4.dataId);
  }
  return out;
}

// XNNPACK (wasm's 2-D matMul) caches its packed B per tensor id, keyed without B's shape. Shared data
// (Reshape, and our copy-free Identity and Transpose) can bring the same id back as B with another
// [K, N]; the cached operator would then read and write past the tensors. Such a B gets a fresh copy.
const xnnpackShapes = new WeakMap<object, string>();

function xnnpackSafeB(backend: WasmHeapBackend, b: Info): Info {
  const shape = b.shape.slice(-2).join('x');
  const seen = xnnpackShapes.get(b.dataId);
  if (seen === undefined) xnnpackShapes.set(b.dataId, shape);
  if (seen === undefined || seen === shape) return b;
  const copy = backend.makeOutput(b.shape, b.dtype);
  backend.typedArrayFromHeap(copy).set(backend.typedArrayFromHeap(b));
  xnnpackShapes.set(copy.dataId, shape);
  return copy;
}

function registerFastMatMul(): void {
  const transpose = wasmKernel('Transpose');
  const swapLast = (t: Info, backend: tf.KernelBackend): Info => {
    const rank = t.shape.length;
    const perm = [...Array(rank).keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as Info;
  };
  overrideWasmKernel('BatchMatMul', (originalFunc) => (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const heap = heapBackend(backend);
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const { a, b } = inputs as { a: Info; b: Info };
    const a2 = transposeA ? swapLast(a, backend) : a;
    const b2 = transposeB ? swapLast(b, backend) : b;
    let out = simdMatMul(heap, a2, b2);
    if (!out) {
      const b3 = xnnpackSafeB(heap, b2);
      out = originalFunc({ inputs: { a: a2, b: b3 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as Info;
      if (b3 !== b2) heap.disposeData(b3.dataId);
    }
    if (a2 !== a) heap.disposeData(a2.dataId);
    if (b2 !== b) heap.disposeData(b2.dataId);
    return out;
  });
}

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerGatherKernels();
  registerCopyFreeKernels();
  registerFastMatMul();
  registerFusedAdamW('wasm');
  registerEmbeddingBag('wasm');
  registerRowsOfParts();
  registerFusedGelu('wasm');
  registerFusedDropout('wasm');
  registerFusedLayerNorm('wasm');
  registerColumnSum();
}
