// encode's last step: its batches' embeddings, computed longest text first, back in input order. As tfjs ops
// that is concat then gather, two passes over every row (~2 ms of a 25 ms StaticEmbedding pass over 4,096
// texts); on wasm one kernel copies each row once, from its batch straight to its place.
import * as tf from '@tensorflow/tfjs';
import { heapBackend, heapWordOffset, type Info, type KernelArgs } from './wasm-heap';

export const ROWS_OF_PARTS_KERNEL = 'SentenceTfjsRowsOfParts';

function register(): void {
  tf.registerKernel({
    kernelName: ROWS_OF_PARTS_KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: b, attrs }: KernelArgs) => {
      const parts = Object.values(inputs) as Info[];
      const positions = (attrs as unknown as { positions: Int32Array }).positions;
      const backend = heapBackend(b);
      const rowSize = parts[0].shape[1];
      const out = backend.makeOutput([positions.length, rowSize], parts[0].dtype);
      // Heap word offset of every row of the concatenation (float32 and int32 are both 4 bytes).
      const starts = new Float64Array(parts.reduce((n, p) => n + p.shape[0], 0));
      let row = 0;
      for (const p of parts) {
        const base = heapWordOffset(backend, p);
        for (let r = 0; r < p.shape[0]; r++) starts[row++] = base + r * rowSize;
      }
      const to = heapWordOffset(backend, out);
      const words = new Int32Array(backend.typedArrayFromHeap(out).buffer);
      for (let i = 0; i < positions.length; i++) {
        const from = starts[positions[i]];
        words.copyWithin(to + i * rowSize, from, from + rowSize);
      }
      return out;
    },
  });
}

export function registerRowsOfParts(): void {
  if (!tf.getKernel(ROWS_OF_PARTS_KERNEL, 'wasm')) register();
}

/**
 * Row `positions[i]` of the row-wise concatenation of `parts` (2-D, same width and dtype) as row i:
 * gather(concat(parts), positions) in one copy on wasm. Positions must lie in [0, total rows).
 */
export function rowsOfParts(parts: tf.Tensor2D[], positions: Int32Array): tf.Tensor2D {
  const total = parts.reduce((n, p) => n + p.shape[0], 0);
  for (let i = 0; i < positions.length; i++) {
    if (!(positions[i] >= 0 && positions[i] < total)) throw new Error(`rowsOfParts: position ${positions[i]} (row ${i}) is not in [0, ${total - 1}]`);
  }
  const same = parts.every((p) => p.rank === 2 && p.shape[1] === parts[0].shape[1] && p.dtype === parts[0].dtype);
  if (!same) throw new Error('rowsOfParts: parts must be 2-D with one width and dtype');
  if (parts.length > 0 && tf.getKernel(ROWS_OF_PARTS_KERNEL, tf.getBackend())) {
    return tf.engine().runKernel(ROWS_OF_PARTS_KERNEL, parts as unknown as tf.NamedTensorMap, { positions } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.tidy(() => tf.gather(parts.length === 1 ? parts[0] : tf.concat(parts, 0), tf.tensor1d(positions, 'int32')));
}
