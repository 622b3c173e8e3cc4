// Sum over the leading axes on wasm ([R, C] → [C]): the gradient of every bias add and LayerNorm
// gamma/beta. wasm's Sum transposes the input so the reduced axes come last, then sums rows: ~6 ms for a
// [704, 1024] bias gradient. Our SIMD loop adds whole rows into the output instead (< 1 ms), summing over
// r in order as the row sums do. Other reductions keep wasm's kernel.
import { heapBackend, overrideWasmKernel, type Info, type KernelArgs } from './wasm-heap';
import { elementwiseKernels } from './wasm-simd-elementwise';

/** The number of leading axes `axis` names when they are exactly 0..k−1 with k < rank; else 0. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  return axes.length < rank && axes.every((a, i) => a === i) ? axes.length : 0;
}

export function registerColumnSum(): void {
  overrideWasmKernel('Sum', (original) => (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const k = leadingAxes(axis, x.shape.length);
    const backend = heapBackend(args.backend);
    const memory = backend.wasm.asm?.memory;
    const simd = memory ? elementwiseKernels(memory) : undefined;
    const kept = x.shape.slice(k);
    const cols = kept.reduce((a, b) => a * b, 1);
    if (!simd || k === 0 || x.dtype !== 'float32' || cols % 4 !== 0 || cols === 0) return original(args);
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept, 'float32');
    const [xv, ov] = [x, out].map((t) => backend.typedArrayFromHeap(t));
    ov.fill(0);
    simd.columnSum(xv.byteOffset, ov.byteOffset, rows, cols * 4);
    return out;
  });
}
