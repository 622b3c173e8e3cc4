// Our SIMD matmul (wasm-simd-kernels.ts) writes C four columns at a time, so it needs N % 4 == 0. Attention
// scores Q·Kᵀ [B·heads, T, T] (and the gradient dCtx·Vᵀ) have N = T, the padded sequence length, which is
// any number; those products fell back to wasm's scalar BatchMatMul at ~0.4 GFLOP/s. Instead B is copied
// with its rows widened to a multiple of 4 (zeros), the kernel runs, and C's extra columns are dropped:
// the copies are O(K·N + M·N) against O(M·K·N) for the product, and every column keeps its sums over k.
import type { Info, WasmHeapBackend } from './wasm-heap';

/** Columns rounded up to a multiple of 4. */
export const paddedWidth = (n: number): number => (n + 3) & ~3;

/** A float32 copy of `rows` rows of width n as rows of width n4 (the extra columns zero). */
export function padColumns(backend: WasmHeapBackend, x: Info, rows: number, n: number): Info {
  const n4 = paddedWidth(n);
  const out = backend.makeOutput([rows, n4], 'float32');
  const [src, dst] = [x, out].map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  dst.fill(0);
  for (let r = 0, s = 0, d = 0; r < rows; r++, s += n, d += n4) for (let j = 0; j < n; j++) dst[d + j] = src[s + j];
  return out;
}

/** Copies the first n columns of `padded` (rows of width n4) into `out` (rows of width n). */
export function dropPaddedColumns(backend: WasmHeapBackend, padded: Info, out: Info, rows: number, n: number): void {
  const n4 = paddedWidth(n);
  const [src, dst] = [padded, out].map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  for (let r = 0, s = 0, d = 0; r < rows; r++, s += n4, d += n) for (let j = 0; j < n; j++) dst[d + j] = src[s + j];
}
