// Identity and no-op Transpose without a copy on wasm. tfjs-core clones every tensor it saves for the
// backward pass (engine.saveTensorsForBackwardMode → Identity); wasm's Identity copies the data, so a
// training step held each saved activation twice and copied the [vocab, dim] embedding table per gather.
// Sharing the dataId with a reference count is what the cpu backend does; it is safe because no kernel
// writes into its inputs and Variable.assign swaps the dataId instead of writing in place.
import { heapBackend, overrideWasmKernel, shareData, type Info, type KernelArgs } from './wasm-heap';

function registerSharedIdentity(): void {
  overrideWasmKernel('Identity', (original) => (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === 'string') return original(args);
    return shareData(heapBackend(args.backend), x);
  });
}

/** A permutation that moves no dimension of size > 1 (e.g. [0, 1], or [1, 0] on a [1, n] tensor) only renames axes. */
export function isNoOpPermutation(shape: readonly number[], perm: readonly number[]): boolean {
  const moved = perm.filter((axis) => shape[axis] !== 1);
  return moved.every((axis, i) => i === 0 || moved[i - 1] < axis);
}

function registerSharedNoOpTranspose(): void {
  overrideWasmKernel('Transpose', (original) => (args: KernelArgs) => {
    const { x } = args.inputs as { x: Info };
    const { perm } = args.attrs as { perm: number[] };
    if (x.dtype === 'string' || !isNoOpPermutation(x.shape, perm)) return original(args);
    return shareData(heapBackend(args.backend), x, perm.map((axis) => x.shape[axis]));
  });
}

export function registerCopyFreeKernels(): void {
  registerSharedIdentity();
  registerSharedNoOpTranspose();
}
